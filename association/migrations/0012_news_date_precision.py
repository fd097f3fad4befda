"""News items dated by their year or month: the publication date gets a precision (see core.partial_dates)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0011_shared_models_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalnewsitem",
            name="published_precision",
            field=models.PositiveSmallIntegerField(choices=[(1, "year"), (2, "month"), (3, "day")], default=3),
        ),
        migrations.AddField(
            model_name="newsitem",
            name="published_precision",
            field=models.PositiveSmallIntegerField(choices=[(1, "year"), (2, "month"), (3, "day")], default=3),
        ),
        migrations.AddConstraint(
            model_name="newsitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_on__isnull", False),
                    ("published_precision__isnull", False),
                    models.Q(
                        ("published_precision", 3),
                        models.Q(("published_on__day", 1), ("published_precision", 2)),
                        models.Q(("published_on__day", 1), ("published_on__month", 1), ("published_precision", 1)),
                        _connector="OR",
                    ),
                ),
                name="association_newsitem_published_precision_matches",
            ),
        ),
    ]
