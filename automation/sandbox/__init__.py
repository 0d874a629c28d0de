"""A local Service Center for rehearsal, demos and tests."""
