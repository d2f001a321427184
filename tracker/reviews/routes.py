"""Review pages: reviews, their recommendations, and boards adopting them."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)
