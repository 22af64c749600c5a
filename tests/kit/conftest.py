"""The plugin-author kit's fixtures, used here exactly as a plugin's own tests would use them.

``pytest_plugins = ["feedback.testing"]`` is in ``tests/conftest.py``: pytest refuses it in a
conftest below the top one when the whole suite runs."""
