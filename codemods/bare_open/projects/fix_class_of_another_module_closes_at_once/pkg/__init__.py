# re-exports the response class of pkg/http.py
from .http import Response
