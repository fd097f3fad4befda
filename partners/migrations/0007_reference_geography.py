"""Every ISO 3166 country with its CLDR names in Russian, English and Vietnamese, in the Committee's regions.

A fresh database can import a report at once. ``manage.py refresh_geography`` runs the
same code on an existing database (after a Babel upgrade, or an edit of geography.yaml).
"""

from django.db import migrations


def load_geography(apps, schema_editor):
    from partners.geography import geography_apply

    geography_apply(apps.get_model("partners", "Region"), apps.get_model("partners", "Country"))


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0006_directory_indexes"),
    ]

    operations = [
        migrations.RunPython(load_geography, migrations.RunPython.noop, elidable=True),
    ]
