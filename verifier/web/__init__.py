"""The editorial web app and JSON API (`verifier serve`).

Importing this package is cheap: FastAPI, SQLAlchemy and uvicorn load only when an app is
built (`verifier.web.app.create_app`) or a command runs (`verifier.web.commands`).
"""
