"""The install files agree with each other, and the course address is one constant."""

import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions

import pytest
import tomllib
from helpers import NOTEBOOKS, ROOT, TEMPLATES, read_notebook, source

from course_utils import COURSE_REPOSITORY, COURSE_VERSION
from course_utils.instructor.publish import STUDENT_FOLDER, colab_badge_url, publish

PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s;]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            found[normalise(match.group(1))] = match.group(2)
    return found


def lock() -> dict[str, str]:
    return pins((ROOT / "requirements.lock").read_text())


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirement_name(requirement: str) -> str:
    return normalise(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])


def test_environment_yml_mirrors_the_lock():
    conda = pins((ROOT / "environment.yml").read_text())
    assert len(conda) >= 10
    locked = lock()
    disagreements = {name: (version, locked.get(name)) for name, version in conda.items()
                     if locked.get(name) != version}
    assert not disagreements, f"environment.yml vs requirements.lock: {disagreements}"


def test_lock_pins_the_torch_family_and_every_dependency():
    locked = lock()
    assert (locked["torch"], locked["torchvision"], locked["torchaudio"]) == ("2.11.0", "0.26.0", "2.11.0")
    meta = project()
    needed = meta["dependencies"] + [r for extra in meta["optional-dependencies"].values() for r in extra]
    missing = {requirement_name(r) for r in needed} - set(locked)
    assert not missing, f"in pyproject.toml but not pinned in requirements.lock: {missing}"
    conda = pins((ROOT / "environment.yml").read_text())
    missing_in_conda = {requirement_name(r) for r in needed} - set(conda)
    assert not missing_in_conda, f"in pyproject.toml but not in environment.yml: {missing_in_conda}"


def test_package_dependencies_are_ranges_so_colab_keeps_its_torch():
    meta = project()
    assert meta["requires-python"] == ">=3.10"
    for requirement in meta["dependencies"]:
        assert "==" not in requirement, f"{requirement}: pin it in requirements.lock, not here"


def test_every_notebook_names_the_same_repository_and_pinned_version():
    for path in [*NOTEBOOKS, *TEMPLATES]:
        cells = read_notebook(path)["cells"]
        addresses = {m for c in cells for m in re.findall(r'COURSE_REPOSITORY = "([^"]+)"', source(c))}
        versions = {m for c in cells for m in re.findall(r'COURSE_VERSION = "([^"]+)"', source(c))}
        assert addresses == {COURSE_REPOSITORY}, path.name
        assert versions == {COURSE_VERSION}, path.name
        # Colab installs the pinned version, never the moving main branch.
        assert 'f"git+{COURSE_REPOSITORY}@{COURSE_VERSION}"' in source(cells[1]), path.name
        if path in NOTEBOOKS:
            assert colab_badge_url(COURSE_REPOSITORY, path.name) in source(cells[0]), path.name


def test_pinned_version_is_the_package_version():
    assert COURSE_VERSION == "v" + project()["version"]


def test_readme_shows_the_two_commands_and_every_notebook():
    readme = (ROOT / "README.md").read_text()
    assert "make course" in readme and "make test" in readme
    for path in NOTEBOOKS:  # the student version's badge, and the instructor version beside it
        assert colab_badge_url(COURSE_REPOSITORY, path.name, STUDENT_FOLDER) in readme, path.name
        assert colab_badge_url(COURSE_REPOSITORY, path.name) in readme, path.name


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_publish_moves_every_mention(tmp_path):
    student_versions = sorted((ROOT / STUDENT_FOLDER).glob("*.ipynb"))
    notebooks = [p.relative_to(ROOT) for p in [*NOTEBOOKS, *student_versions, *TEMPLATES]]
    assert len(student_versions) == len(NOTEBOOKS)
    for relative in ["README.md", "course_utils/session/colab.py", *notebooks]:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ROOT / relative).read_text())
    changed = publish("https://github.com/someone/mirror", root=tmp_path, version="v9.9.9")
    assert len(changed) == 2 + len(notebooks)
    for path in changed:
        text = path.read_text()
        assert COURSE_REPOSITORY not in text and "github.com/captioning-and-speaking" not in text
        assert "someone/mirror" in text
        if path.suffix == ".ipynb":
            assert 'COURSE_VERSION = \\"v9.9.9\\"' in text and COURSE_VERSION not in text, path.name
        if path.name == "colab.py":
            assert 'COURSE_VERSION = "v9.9.9"' in text and COURSE_VERSION not in text


@pytest.mark.parametrize("address, version", [
    ("https://github.com/someone/mirror\n", "v9.9.9"), ("https://github.com/someone/mirror", "v9.9.9\n"),
    ("https://github.com/someone/mirror.git", "v9.9.9"), ("https://github.com/../..", "v9.9.9"),
])
def test_publish_refuses_a_malformed_address_or_version_and_changes_nothing(tmp_path, address, version):
    (tmp_path / "README.md").write_text((ROOT / "README.md").read_text())
    with pytest.raises(ValueError, match="is not a"):
        publish(address, root=tmp_path, version=version)
    assert (tmp_path / "README.md").read_text() == (ROOT / "README.md").read_text()


def test_publish_changes_no_file_when_one_cannot_be_read(tmp_path):
    for relative in ["README.md", f"{STUDENT_FOLDER}/{NOTEBOOKS[0].name}"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text((ROOT / relative).read_text())
    (tmp_path / STUDENT_FOLDER / "99_damaged.ipynb").write_bytes(b"\xff\xfe not UTF-8")
    with pytest.raises(ValueError, match="nothing was changed"):
        publish("https://github.com/someone/mirror", root=tmp_path, version="v9.9.9")
    assert (tmp_path / "README.md").read_text() == (ROOT / "README.md").read_text()


def notebook_imports(path) -> set[str]:
    """The top-level modules that the code cells of a notebook import, hidden test cells included."""
    modules = set()
    for cell in read_notebook(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse(source(cell))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_notebook_import_is_a_dependency_of_the_package():
    """A plain `pip install` (Colab, or an instructor grading) can run every cell of every notebook."""
    declared = {requirement_name(r) for r in project()["dependencies"]}
    distributions = packages_distributions()
    for path in [*NOTEBOOKS, *TEMPLATES]:
        for module in notebook_imports(path) - set(sys.stdlib_module_names) - {"course_utils"}:
            providers = {normalise(d) for d in distributions.get(module, [])}
            assert providers & declared, f"{path.name} imports {module}: no dependency of the package has it"


def test_setuptools_builds_outside_the_course_output_folder():
    """`pip install .` must not write setuptools' build/lib into build/, the runner's output."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    build_base = config["build"]["build_base"]
    assert build_base.strip("./") != "build" and not build_base.startswith("build/")
    assert ".setuptools-build/" in (ROOT / ".gitignore").read_text().splitlines()
