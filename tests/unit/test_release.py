"""A release is one version everywhere, two locks (the image installs only the production one) and
images pinned by digest (docs/releases.md)."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from motcua_shared import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"shared": ROOT / "shared" / "motcua_shared"} | {
    name: ROOT / "services" / name / f"motcua_{name}"
    for name in ("intake", "routing", "notification", "postal", "reporting", "console")}
# Tools only tests, fuzzers, browsers and the audit use: none may reach the image.
TEST_TOOLS = {"pytest", "pytest-timeout", "hypothesis", "schemathesis", "selenium", "testcontainers", "docker",
              "pip-audit", "cloudevents", "openapi-spec-validator", "beautifulsoup4", "trio", "iniconfig", "pluggy"}
# Drivers named in a database URL, never imported by name.
URL_DRIVERS = {"psycopg", "psycopg-binary"}
PINNED = re.compile(r"^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")


def _lock(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            package, _, version = line.partition("==")
            assert version, f"{name}: {line!r} is not an exact pin"
            pins[canonicalize_name(package)] = version
    return pins


def test_one_version_everywhere():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert (ROOT / "VERSION").read_text().strip() == __version__
    for name, package in PACKAGES.items():
        project = tomllib.loads((package.parent / "pyproject.toml").read_text())["project"]
        if name == "shared":
            assert project["dynamic"] == ["version"]  # read from motcua_shared/VERSION
        else:
            assert project["version"] == __version__, f"services/{name}/pyproject.toml"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"ARG MOTCUA_VERSION={__version__}\n" in dockerfile
    assert 'org.opencontainers.image.version="${MOTCUA_VERSION}"' in dockerfile
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M), \
        "CHANGELOG.md has no section for the release in VERSION"


def test_every_image_is_pinned_by_digest():
    froms = [line.split()[1] for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("FROM ")]
    assert froms and all(PINNED.match(image) for image in froms), froms
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        if "build" in service:  # the project's own image, built from the pinned Dockerfile
            continue
        assert PINNED.match(service["image"]), f"{name}: {service['image']} is not pinned as tag@sha256:digest"


def test_the_locks_are_split_and_the_image_installs_only_production():
    production, development = _lock("requirements.lock"), _lock("requirements-dev.lock")
    assert not set(production) & set(development), "a package pinned in both locks"
    assert not TEST_TOOLS & set(production), f"test tools in the production lock: {TEST_TOOLS & set(production)}"
    assert TEST_TOOLS <= set(development)
    instructions = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.startswith("#")]
    assert not [line for line in instructions if "requirements-dev.lock" in line]
    assert "RUN pip install -r requirements.lock" in instructions
    assert "-r requirements.lock -r requirements-dev.lock" in (ROOT / "Makefile").read_text()


def _third_party_imports(package: Path) -> dict[str, str]:
    """Top-level module -> the first file importing it, for every import outside the standard library."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and not top.startswith("motcua_"):
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def _closure(name: str, extras: frozenset[str], seen: dict[str, frozenset[str]]) -> None:
    """The distribution and everything it requires (markers and extras evaluated), as installed."""
    key = canonicalize_name(name)
    if key in seen and extras <= seen[key]:
        return
    seen[key] = seen.get(key, frozenset()) | extras
    for text in distribution(name).requires or []:
        requirement = Requirement(text)
        environments = [{"extra": extra} for extra in ("", *extras)]
        if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environments):
            _closure(requirement.name, frozenset(requirement.extras), seen)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_import_of_a_package_is_satisfied_by_the_production_lock(name):
    production = _lock("requirements.lock")
    module_owners = packages_distributions()
    needed: dict[str, frozenset[str]] = {}
    for module, where in _third_party_imports(PACKAGES[name]).items():
        owners = module_owners.get(module)
        assert owners, f"{where} imports {module}, which no installed distribution provides"
        for owner in owners:
            _closure(owner, frozenset(), needed)
    project = tomllib.loads((PACKAGES[name].parent / "pyproject.toml").read_text())["project"]
    for text in project.get("dependencies", []):
        requirement = Requirement(text)
        if not requirement.name.startswith("motcua-"):
            _closure(requirement.name, frozenset(requirement.extras), needed)
    if name == "shared":
        for driver in URL_DRIVERS:
            _closure(driver, frozenset(), needed)
    missing = sorted(set(needed) - set(production))
    assert not missing, f"{name} needs {missing}, which requirements.lock (the image's) does not pin"
    for package in needed:
        assert distribution(package).version == production[package], f"{package}: installed != pinned"


def _declared(name: str) -> set[str]:
    """The distributions a package's pyproject asks for (a service also gets what motcua-shared asks for)."""
    def own(path: Path) -> set[str]:
        project = tomllib.loads(path.read_text())["project"]
        return {canonicalize_name(Requirement(text).name) for text in project.get("dependencies", [])}

    declared = own(PACKAGES[name].parent / "pyproject.toml")
    if name != "shared":
        declared |= own(ROOT / "shared" / "pyproject.toml")
    return declared


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_package_declares_what_it_imports(name):
    # The lock makes the image work; the pyproject is what a wheel installed elsewhere asks pip for.
    module_owners = packages_distributions()
    declared = _declared(name)
    undeclared = {}
    for module, where in _third_party_imports(PACKAGES[name]).items():
        owners = {canonicalize_name(owner) for owner in module_owners.get(module, [])}
        if owners and not owners & declared:
            undeclared[module] = where
    assert not undeclared, f"{name} imports {undeclared} without declaring them in its pyproject.toml"
