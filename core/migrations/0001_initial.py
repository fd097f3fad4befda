"""The search index and the staff permissions move here from the association app.

The table and the permissions stay as they are: the table is renamed, and the content
types (so the permissions, and the groups holding them) are relabelled; a fresh
database gets the same result.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


MOVED = ("searchentry", "staffpermissions")


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="association", model__in=MOVED).update(app_label="core")


def unrelabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="association")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("association", "0010_search_index_per_kind"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    state_operations = [
        migrations.CreateModel(
            name='StaffPermissions',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'staff permission',
                'verbose_name_plural': 'staff permissions',
                'permissions': [('edit_content', 'Can edit every field of the content, in every language'), ('publish', 'Can publish records and turn them into drafts'), ('translate_en', 'Can edit the English texts'), ('translate_vi', 'Can edit the Vietnamese texts')],
                'managed': False,
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20, verbose_name='kind')),
                ('object_id', models.PositiveBigIntegerField()),
                ('language', models.CharField(max_length=5, verbose_name='language')),
                ('title', models.TextField(verbose_name='title')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('url', models.CharField(max_length=300, verbose_name='address')),
                ('visible_from', models.DateField(blank=True, null=True)),
                ('document', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'indexes': [django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'partner')), fields=['document'], name='searchentry_partner_document'), django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'event')), fields=['document'], name='searchentry_event_document'), django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'society')), fields=['document'], name='searchentry_society_document'), django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'page')), fields=['document'], name='searchentry_page_document'), django.contrib.postgres.indexes.GinIndex(condition=models.Q(('kind', 'news')), fields=['document'], name='searchentry_news_document')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id', 'language'), name='searchentry_one_per_language')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE association_searchentry RENAME TO core_searchentry",
                    "ALTER TABLE core_searchentry RENAME TO association_searchentry",
                ),
                migrations.RunPython(relabel_content_types, unrelabel_content_types),
            ],
        ),
    ]
