"""Search entries keep the other names of their record, and countries and agreements are searched.

The documents of existing entries lack the lemmas and the names: after migrating, run
``manage.py rebuild_search_index``.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchentry',
            name='name_keys',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), blank=True, default=list, size=None),
        ),
        migrations.AddField(
            model_name='searchentry',
            name='names',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), blank=True, default=list, size=None),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'country')), fields=['document'], name='searchentry_country_document'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'agreement')), fields=['document'], name='searchentry_agreement_document'),
        ),
    ]
