"""The innbyggartorg desk log (service ``desk``): help given, undone, and the category list."""
