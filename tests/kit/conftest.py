"""The plugin-author kit's fixtures, used here exactly as a plugin's own tests would use them."""

pytest_plugins = ["feedback.testing"]
