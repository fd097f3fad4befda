from django.db import migrations


def create_roles(apps, schema_editor):
    from core.roles import roles_sync

    roles_sync(apps)


def remove_roles(apps, schema_editor):
    from core.roles import ROLE_NAMES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0004_staff_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_drafts"),
        ("partners", "0001_initial"),
        ("societies", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
