"""Every reader: cells and tables, YAML and model files, referrals, leave, bookings.

Readers parse at the edge and hand the library frozen objects from :mod:`panelsched.core`;
every problem names its file, row and column.
"""
