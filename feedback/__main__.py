"""``python -m feedback``: the same as the ``feedback`` command."""

from feedback.cli import cli

if __name__ == "__main__":
    cli(prog_name="feedback")
