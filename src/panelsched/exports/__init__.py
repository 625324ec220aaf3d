"""Writers for what panelsched produces: CSV, Excel workbooks, iCalendar files, Markdown."""
