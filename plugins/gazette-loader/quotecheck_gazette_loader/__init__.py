"""An example quotecheck source loader: the council gazette format (``.gzt``)."""
