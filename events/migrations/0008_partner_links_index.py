from django.db import migrations

# The events of a partner, or of a country's partners, read from the link table's index alone.
# The table is the one Django creates for Event.partners, which has no Meta to declare it in.
INDEX = "events_event_partners_partner_event"


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_list_order_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX "{INDEX}" ON "events_event_partners" ("partner_id", "event_id")',
            reverse_sql=f'DROP INDEX "{INDEX}"',
        ),
    ]
