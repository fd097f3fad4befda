from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.images import validate_image
from core.slugs import unique_slug
from core.translation_status import TextEditsModel


class SocietyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Society(TextEditsModel):
    """A friendship society, association or club that works within the association."""

    class Kind(models.TextChoices):
        FRIENDSHIP_SOCIETY = "friendship-society", _("friendship society")
        ASSOCIATION = "association", _("association")
        CLUB = "club", _("club of an international organisation")

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    countries = models.ManyToManyField(
        "partners.Country", related_name="societies", blank=True, verbose_name=_("countries")
    )
    based_abroad = models.BooleanField(
        _("based abroad"), default=False, help_text=_("A partner organisation in another country.")
    )
    founded_year = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="societies/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        validators=[validate_image],
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for screen readers."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SocietyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("society")
        verbose_name_plural = _("societies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name_ru or self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("societies:detail", kwargs={"slug": self.slug})
