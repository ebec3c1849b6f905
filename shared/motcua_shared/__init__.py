"""motcua common library: messaging backbone, web plumbing, reference data and working-time rules shared by the five services."""
from importlib.resources import files

# The release's one version (docs/releases.md): the file ships inside the package, so the image and an
# editable checkout read the same number; the root VERSION is a link to it.
__version__ = files(__name__).joinpath("VERSION").read_text(encoding="ascii").strip()
