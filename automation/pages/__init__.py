"""Page objects, one per Service Center screen."""
