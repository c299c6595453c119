"""Front ends for the desk: the review page (``quotecheck report``, one
self-contained HTML file) and the local service (``quotecheck serve``, an ASGI
application), both rendering what :class:`quotecheck.session.Session` found.
"""
