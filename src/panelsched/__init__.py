"""panelsched: scheduling for children's-services decision-making panels.

The flow reads in one line::

    model = load_model("models/lambeth.yaml")
    sittings = generate_sittings(model, date(2027, 1, 1), date(2027, 12, 31))
"""

from panelsched.core.panels import Authority, Panel
from panelsched.core.sittings import Sitting, generate_sittings
from panelsched.errors import InputError, Problem
from panelsched.io.model_file import load_model

__version__ = "0.1.0"

__all__ = [
    "Authority",
    "InputError",
    "Panel",
    "Problem",
    "Sitting",
    "__version__",
    "generate_sittings",
    "load_model",
]
