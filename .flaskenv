# Read by the flask command (python-dotenv) so that `.venv/bin/flask ...` works from the repository root.
FLASK_APP=contest:create_app
HOITHI_ENV=development
