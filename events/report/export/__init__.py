"""The Committee's yearly table «Сотрудничество Санкт-Петербурга с городами-партнерами», written from the portal.

``content`` reads what a year's table holds in three streamed queries and joins them
partner by partner; ``cells`` turns a partner into the rows of the five columns, and
``dates`` writes their dates as the reports do; ``as_docx`` and ``as_xlsx`` write the
rows as they come, so memory stays bounded whatever the number of partners.
``service.yearly_report`` is the one entry point (the admin page and ``export_report``).
The Russian table is valid input for the import (``events.report``).
"""
