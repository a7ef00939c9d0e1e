"""Training recipes: the file format's checks, and the default recipe rebuilding the bundled model."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sklearn

import framing
from framing.model._recipe import RecipeError, load_recipe

REPO = Path(__file__).resolve().parents[1]
RECIPE = REPO / "models" / "recipe-default.json"
DEFAULT = REPO / "models" / "default"
DATA = REPO.parent / "shared" / "data"


def _write(tmp_path, **changes):
    document = json.loads(RECIPE.read_text(encoding="utf-8"))
    document.update(changes)
    folder = tmp_path / "models"
    folder.mkdir(exist_ok=True)
    shutil.copytree(REPO / "labeled", tmp_path / "labeled", dirs_exist_ok=True)
    path = folder / "recipe.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_default_recipe_loads_and_names_every_task_it_trains():
    recipe = load_recipe(RECIPE)
    trained = {task for source in recipe.sources for task, weight in source.weights.items() if weight > 0}
    assert trained == set(recipe.schema.task_names)
    assert recipe.axis is not None and recipe.axis["poles"]["negative"]["label"]
    assert all(source.files for source in recipe.sources), "every source records its file hashes"


@pytest.mark.parametrize("changes, field, allowed", [
    ({"format": "other"}, "'format'", "framing-recipe"),
    ({"format_version": 9}, "'format_version'", "1"),
    ({"sources": [{"name": "nope", "weights": {"loaded": 1}}]}, "'sources[0].name'", "babe"),
    ({"sources": [{"name": "babe", "weights": {"slnt": 1}}]}, "'sources[0].weights'", "loaded"),
    ({"sources": [{"name": "babe", "weights": {"hedged": 1}}]}, "'sources[0].weights'", "tasks that babe labels"),
    ({"sources": [{"name": "babe", "weights": {"loaded": -1}}]}, "'sources[0].weights.loaded'", ">= 0"),
    ({"config": {"C": 1, "colour": "red"}}, "'config'", "keys among"),
    ({"lexicons": [{"file": "x.txt", "lexicon": "nope", "category": "c"}]}, "'lexicons[0].lexicon'", "hedge"),
    ({"config": ["C", 1]}, "'config'", "an object of training options"),
    ({"sources": [{"name": "babe", "weights": {"loaded": 1}}] * 2}, "'sources'", "each source named once"),
])
def test_a_malformed_recipe_names_the_file_the_field_and_what_is_allowed(tmp_path, changes, field, allowed):
    path = _write(tmp_path, **changes)
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    message = str(caught.value)
    assert str(path) in message and field in message and allowed in message
    assert isinstance(caught.value, framing.FramingError)


def test_a_config_field_newer_than_the_format_changes_the_digest_only_when_it_leaves_its_default(tmp_path):
    # Models record their recipe's digest: a field the format learned later must not change the digest of old recipes.
    base = load_recipe(RECIPE).digest()
    document = json.loads(RECIPE.read_text(encoding="utf-8"))
    assert load_recipe(_write(tmp_path, config={**document["config"], "harvest": True})).digest() == base
    assert load_recipe(_write(tmp_path, config={**document["config"], "harvest": False})).digest() != base
    assert load_recipe(_write(tmp_path, config={**document["config"], "char_min_df": 4})).digest() != base


def test_changed_data_is_refused_with_the_file_and_both_hashes(tmp_path):
    from framing.model._recipe import check_files

    document = json.loads(RECIPE.read_text(encoding="utf-8"))
    seeds = next(s for s in document["sources"] if s["name"] == "seeds")
    seeds["files"]["sentences.jsonl"] = "0" * 64
    document["sources"] = [seeds]
    path = _write(tmp_path, sources=[seeds])
    with pytest.raises(RecipeError, match="sentences.jsonl has sha256 [0-9a-f]{64}, the recipe records 0{64}"):
        check_files(load_recipe(path), DATA)


def _same_model_within_solver_tolerance(rebuilt: Path, bundled: Path) -> None:
    """What a rebuild on another kind of machine must keep: everything but the last digits of the fitted weights.

    Vocabularies, idf, harvested terms, feature names and the schema are exact; the logistic regressions' weights
    and temperatures move with the CPU's floating-point kernels (measured between an Intel Xeon and an AMD EPYC:
    at most 0.02 in a coefficient and 0.06 in an intercept, temperatures in the fourth digit): compared with a tolerance.
    """
    old, new = (json.loads((folder / "model.json").read_text(encoding="utf-8")) for folder in (bundled, rebuilt))
    for key in ("features", "lexicons", "schema", "format", "format_version"):
        assert new[key] == old[key], f"model.json {key!r} differs from the bundled model"
    for task, head in old["heads"].items():
        assert set(new["heads"][task]) == set(head), task
        assert new["heads"][task]["classes"] == head["classes"], task
        assert abs(new["heads"][task].get("temperature", 1.0) - head.get("temperature", 1.0)) <= 0.01 * head.get("temperature", 1.0)
    with np.load(bundled / "weights.npz", allow_pickle=False) as a, np.load(rebuilt / "weights.npz", allow_pickle=False) as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            if a[name].dtype.kind in "fc" and name.startswith(("heads/", "target_stance/")):
                np.testing.assert_allclose(b[name], a[name], rtol=0, atol=0.1, err_msg=name)
            else:
                np.testing.assert_array_equal(b[name], a[name], err_msg=name)


@pytest.mark.slow
def test_the_recipe_rebuilds_the_bundled_model_byte_for_byte(tmp_path):
    """Byte for byte on the kind of machine the bundled model was trained on (the float32 target-stance weights to
    lbfgs's last digits); elsewhere within solver tolerance."""
    from framing.model._training import machine_fingerprint

    if not DATA.is_dir():
        pytest.skip(f"the external data is not at {DATA}: the default recipe cannot be rebuilt here")
    metadata = json.loads((DEFAULT / "model.json").read_text(encoding="utf-8"))["metadata"]
    versions = (sklearn.__version__, np.__version__)
    if versions != (metadata["sklearn_version"], metadata["numpy_version"]):
        pytest.skip(f"byte-for-byte check needs scikit-learn {metadata['sklearn_version']} and numpy "
                    f"{metadata['numpy_version']} (have {versions}); .ci/constraints.txt pins them")
    out = tmp_path / "model"
    result = subprocess.run([sys.executable, "-m", "framing", "train", "--recipe", str(RECIPE), "--data", str(DATA),
                             "--out", str(out), "--quiet"], capture_output=True, text=True, timeout=3000, cwd=REPO)
    assert result.returncode == 0, result.stderr
    rebuilt_machine = json.loads((out / "model.json").read_text(encoding="utf-8"))["metadata"]["machine"]
    if metadata.get("machine") != rebuilt_machine or rebuilt_machine != machine_fingerprint():
        _same_model_within_solver_tolerance(out, DEFAULT)
        return
    hint = "rebuild with `framing train --recipe models/recipe-default.json --data ../shared/data --out models/default`"
    assert (out / "model.json").read_bytes() == (DEFAULT / "model.json").read_bytes(), f"model.json differs: {hint}"
    if (out / "weights.npz").read_bytes() == (DEFAULT / "weights.npz").read_bytes():
        return
    # The target-stance weights are kept at float32 as lbfgs leaves them, and lbfgs does not give the same last
    # digits on every CPU that reports the same name and BLAS kernel (seen: 3e-6 in a weight, 4e-7 in an
    # intercept, on two "AMD EPYC" VMs); every other array (the heads are rounded to float16) must be equal.
    with np.load(DEFAULT / "weights.npz", allow_pickle=False) as a, np.load(out / "weights.npz", allow_pickle=False) as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            if name.startswith("target_stance/") and a[name].dtype.kind == "f":
                np.testing.assert_allclose(b[name], a[name], rtol=0, atol=1e-4, err_msg=f"{name} differs: {hint}")
            else:
                np.testing.assert_array_equal(b[name], a[name], err_msg=f"{name} differs: {hint}")
