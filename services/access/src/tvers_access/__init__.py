"""The access service: meirope (staffless opening hours) at the library's doors."""
