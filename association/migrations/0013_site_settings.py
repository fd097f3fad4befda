"""The association's contacts: one record of site settings, with its history."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0012_news_date_precision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSiteSettings",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("singleton", models.BooleanField(db_index=True, default=True, editable=False)),
                ("address", models.TextField(blank=True, verbose_name="address")),
                ("address_ru", models.TextField(blank=True, null=True, verbose_name="address")),
                ("address_en", models.TextField(blank=True, null=True, verbose_name="address")),
                ("address_vi", models.TextField(blank=True, null=True, verbose_name="address")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                ("vk_url", models.URLField(blank=True, verbose_name="VK")),
                ("telegram_url", models.URLField(blank=True, verbose_name="Telegram")),
                ("odnoklassniki_url", models.URLField(blank=True, verbose_name="Odnoklassniki")),
                ("rutube_url", models.URLField(blank=True, verbose_name="Rutube")),
                ("youtube_url", models.URLField(blank=True, verbose_name="YouTube")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical site settings",
                "verbose_name_plural": "historical site settings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SiteSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("singleton", models.BooleanField(default=True, editable=False, unique=True)),
                ("address", models.TextField(blank=True, verbose_name="address")),
                ("address_ru", models.TextField(blank=True, null=True, verbose_name="address")),
                ("address_en", models.TextField(blank=True, null=True, verbose_name="address")),
                ("address_vi", models.TextField(blank=True, null=True, verbose_name="address")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                ("vk_url", models.URLField(blank=True, verbose_name="VK")),
                ("telegram_url", models.URLField(blank=True, verbose_name="Telegram")),
                ("odnoklassniki_url", models.URLField(blank=True, verbose_name="Odnoklassniki")),
                ("rutube_url", models.URLField(blank=True, verbose_name="Rutube")),
                ("youtube_url", models.URLField(blank=True, verbose_name="YouTube")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "site settings",
                "verbose_name_plural": "site settings",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("singleton", True)), name="association_sitesettings_one")
                ],
            },
        ),
    ]
