"""SearchEntry and StaffPermissions now belong to core (see core/migrations/0001_initial.py)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0010_search_index_per_kind"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="SearchEntry",
                ),
                migrations.DeleteModel(
                    name="StaffPermissions",
                ),
            ]
        )
    ]
