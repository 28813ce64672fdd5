"""The command line (``fastimg demo``, ``run``, ``bench``, ``info``,
``warmup``, ``--version``), each in a subprocess as a user runs it, and its
image files (PNG reader and writer, the shipped photograph, the dtype rule)."""
import importlib.resources
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import fastimg
from fastimg._core import catalog as _catalog
from fastimg._cli import images as _images
from fastimg._cli.common import CliError
from fastimg._cli.png import read_png, to_uint8, write_png, write_png_array
from fastimg._cli.run import parse_params
from fastimg._cli.tour import TOUR

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIL = pytest.importorskip("PIL.Image")
tifffile = pytest.importorskip("tifffile")


def _fastimg(*args, module="fastimg"):
    """``python -m fastimg ARGS`` (the ``fastimg`` command; ``module``
    ``fastimg._cli.main`` is the command line without ``python -m
    fastimg``'s script runner in front)."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("FASTIMG_DEBUG", None)
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=600)


def _refused(r, *words):
    """A one-line error naming the problem, a non-zero exit, no traceback."""
    assert r.returncode != 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Small test pictures cut from the built-in photograph."""
    d = tmp_path_factory.mktemp("pictures")
    rgb = _images.photograph()[::8, ::8]                        # 50 x 50 x 3
    grey8 = rgb[..., 1].copy()
    grey16 = grey8.astype(np.uint16) * 257 + np.arange(50, dtype=np.uint16)
    PIL.fromarray(rgb).save(d / "rgb8.png")
    PIL.fromarray(grey8).save(d / "grey8.png")
    PIL.fromarray(grey16).save(d / "grey16.png")
    tifffile.imwrite(d / "grey16.tif", grey16)
    tifffile.imwrite(d / "rgb8.tif", rgb)
    (d / "text.png").write_text("not an image\n")
    (d / "empty.tif").write_bytes(b"")
    return d, {"rgb8": rgb, "grey8": grey8, "grey16": grey16}


# ------------------------------------------------------------------ demo
def test_demo_on_the_builtin_photograph(tmp_path):
    r = _fastimg("demo", "--size", 64, "--repeat", 1, "--out", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {"input.png", "contact-sheet.png", "contact-sheet.txt"} <= names
    assert len([n for n in names if n.startswith("tour-")]) == len(TOUR)
    # one picture per catalog row whose shown result is an image
    x = _images.grey(_images.fit(_images.photograph(), 64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)      # skimage's square
        shown = {f"fn-{i:03d}-{row.qualname}.png" for i, row in enumerate(_catalog.ROWS, 1)
                 if _is_image((row.show or row.sample)(_catalog.function(row), x))}
    assert {n for n in names if n.startswith("fn-")} == shown
    # every catalog function and tour step is in the table, and nothing
    # bit-identical differs from its anchor
    for name in [row.qualname for row in _catalog.ROWS] + [s.title for s in TOUR]:
        assert f"  {name} " in r.stdout, name
    assert "largest difference from an anchor: 0.0e+00" in r.stdout
    # the largest-difference column is 0 for every bit-identical function
    from fastimg._cli.cases import TOLERANT
    lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.startswith("  ")}
    for row in _catalog.ROWS:
        if row.anchor is not None and row.qualname not in TOLERANT:
            assert lines[row.qualname].rstrip().endswith(" 0.0e+00"), lines[row.qualname]
    assert "speed-up" in r.stdout and "Hough ellipse" in r.stdout
    sheet = np.asarray(PIL.open(tmp_path / "contact-sheet.png"))
    assert sheet.ndim == 3 and sheet.shape[0] > 64 and sheet.std() > 10
    index = (tmp_path / "contact-sheet.txt").read_text()
    assert "Hough circles" in index and "ndimage.gaussian_filter" in index


def _is_image(v):
    return isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind in "biuf" and v.size > 1


def test_demo_on_a_user_picture(files, tmp_path):
    d, _ = files
    r = _fastimg("demo", d / "rgb8.png", "--size", 48, "--repeat", 1, "--out", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "rgb8.png at 48x48" in r.stdout
    shown = np.asarray(PIL.open(tmp_path / "input.png"))
    assert shown.shape == (48, 48, 3)
    assert (tmp_path / "tour-15-k-means-colours-5.png").exists()


def test_demo_needs_neither_pillow_nor_tqdm_nor_scikit_image(tmp_path):
    # the extras hidden: the PNG writer, the plain counter, SciPy's anchors only
    code = ("import sys\n"
            "for m in ('PIL', 'tqdm', 'skimage', 'tifffile'): sys.modules[m] = None\n"
            "from fastimg._cli.main import main\n"
            f"raise SystemExit(main(['demo', '--size', '32', '--repeat', '1', "
            f"'--out', {str(tmp_path)!r}]))\n")
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(skimage not installed)" in r.stdout and "titles in contact-sheet.txt" in r.stdout
    assert "fastimg demo [" in r.stderr                      # the plain counter
    assert read_png(tmp_path / "contact-sheet.png").ndim == 3


@pytest.mark.parametrize("args, words", [
    (["--size", "-5"], ["--size", "at least 8", "-5"]),
    (["--size", "0"], ["--size", "0"]),
    (["--size", "big"], ["--size", "'big'"]),
    (["--repeat", "-1"], ["--repeat", "-1"]),
    (["--out", "/proc/x"], ["/proc/x", "cannot write"]),
    (["--bogus"], ["--bogus"]),
])
def test_demo_refuses_bad_options(args, words):
    _refused(_fastimg("demo", *args), *words)


def test_demo_refuses_bad_files_and_folders(files, tmp_path):
    d, _ = files
    _refused(_fastimg("demo", "--out", d / "grey8.png", "--size", 16), "not a folder")
    _refused(_fastimg("demo", d / "missing.png", "--out", tmp_path), "missing.png",
             "no such file")
    _refused(_fastimg("demo", d / "text.png", "--out", tmp_path), "text.png", "not an image")
    _refused(_fastimg("demo", d / "empty.tif", "--out", tmp_path), "empty.tif", "TIFF")
    tifffile.imwrite(tmp_path / "six.tif", np.zeros((4, 4, 6), np.uint8),
                     photometric="minisblack", planarconfig="contig")
    _refused(_fastimg("demo", tmp_path / "six.tif", "--out", tmp_path), "six.tif",
             "(4, 4, 6)", "at most 4 channels")
    readonly = tmp_path / "readonly"
    readonly.mkdir(mode=0o500)
    if os.access(readonly, os.W_OK):        # root writes anywhere but in /proc
        readonly = "/proc"
    _refused(_fastimg("demo", "--out", readonly, "--size", 16), "cannot write")


def _small_pictures(d):
    """The pictures a user may try first: tiny, odd-sized, flat icons,
    grey, RGB, RGBA, 16-bit, two grey levels; {file name: --size}.  Few
    edges each: the tour's ellipse search is cubic in their number."""
    photo = _images.photograph()
    icon = np.zeros((16, 16, 3), np.uint8)          # flat areas: near-zero denominators
    icon[4:12, 4:12] = (200, 50, 50)
    icon[6:9, 2:14] = 255
    alpha = np.where(icon.any(axis=2), 255, 60).astype(np.uint8)
    calm = photo[96:108, 100:114]                   # a calm 12 x 14 patch of the table
    two = np.zeros((16, 16), np.uint8)
    two[5:8, 9:12] = 255
    pictures = {
        "icon16.png": (icon, 24),
        "icon-rgba.png": (np.dstack([icon, alpha]), 24),
        "grey7x5.png": (photo[100:107, 100:105, 1].copy(), 24),
        "grey16bit.png": (calm[..., 0].astype(np.uint16) * 257
                          + np.arange(14, dtype=np.uint16), 24),
        "rgb16bit.png": (calm[:9, :10].astype(np.uint16) * 257, 24),
        "two-levels.png": (two, 16),                # its own size: two grey levels stay two
    }
    for name, (a, _) in pictures.items():
        write_png_array(d / name, a)
    return {name: size for name, (_, size) in pictures.items()}


def test_demo_on_tiny_odd_grey_colour_and_16_bit_pictures(tmp_path):
    # one process runs the demo on each picture (as the command does) so
    # the kernels load once; the icon and the 7x5 crop, resized, have
    # near-flat windows where match_template's scores are rounding noise
    # divided by a tiny denominator: its documented per-position bound
    # applies, not a global one
    sizes = _small_pictures(tmp_path)
    code = ("import sys\nfrom fastimg._cli.main import main\n"
            "for name, size in zip(sys.argv[2::2], sys.argv[3::2]):\n"
            "    rc = main(['demo', f'{sys.argv[1]}/{name}', '--size', size, '--repeat', '1',\n"
            "               '--out', f'{sys.argv[1]}/out-{name}'])\n"
            "    print(f'@@ {name} {rc}', flush=True)\n")
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [str(v) for item in sizes.items() for v in item]
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path), *args], env=env,
                       capture_output=True, text=True, timeout=600)
    assert "Traceback" not in r.stderr, r.stderr
    runs = r.stdout.split("@@ ")
    assert len(runs) == len(sizes) + 1, r.stdout + r.stderr
    for before, run in zip(runs, runs[1:]):
        name, rc = run.split()[:2]
        assert rc == "0", before
        assert f"{name} at {sizes[name]}x{sizes[name]}" in before
        assert "largest difference from an anchor: 0.0e+00" in before
        assert "failed" not in before and "differ from" not in before, before
        for row in _catalog.ROWS:
            assert f"  {row.qualname} " in before, (name, row.qualname)
        shown = np.asarray(PIL.open(tmp_path / f"out-{name}" / "input.png"))
        assert shown.shape == (sizes[name], sizes[name], 3)
        assert (tmp_path / f"out-{name}" / "contact-sheet.png").exists()
    by_name = {run.split()[0]: before for before, run in zip(runs, runs[1:])}
    # two grey levels: the steps whose functions refuse them (three Otsu
    # classes, five k-means colours), as their anchors do, say so
    two = by_name["two-levels.png"]
    assert "not applicable to this picture" in two and "threshold_multiotsu" in two
    assert all("not applicable" not in out for n, out in by_name.items()
               if n != "two-levels.png")


def test_demo_counts_a_refusal_only_when_the_anchor_refuses_too():
    from fastimg._cli.cases import NoAnchor, exact
    from fastimg._cli.common import Table

    def refuse():
        raise ValueError("one grey level")

    def no_anchor():
        raise NoAnchor("(fastimg's own)")

    table = Table(lenient=True)
    assert table.measure("both", refuse, refuse, 1, exact) is None
    assert table.measure("own", refuse, no_anchor, 1, exact) is None
    assert table.measure("ours only", refuse, lambda: 1.0, 1, exact) is None
    assert table.skipped == ["both", "own"] and table.failed == ["ours only"]
    strict = Table()                            # the built-in photograph suits every step
    strict.measure("both", refuse, refuse, 1, exact)
    assert strict.failed == ["both"] and not strict.ok


# ----------------------------------------------- the cases bench, demo and benchmarks share
def test_match_template_denominator_is_scikit_images():
    # the check's per-position bound divides by the denominator scikit-image
    # divides by (reference/template.py restates its operations)
    from hypothesis import given
    from hypothesis import strategies as st

    from fastimg._cli.cases import _match_denominator
    from reference import template as R

    @given(st.integers(0, 2**32 - 1), st.sampled_from(["float32", "float64", "uint8"]),
           st.booleans(), st.sampled_from(["constant", "edge", "reflect", "wrap"]))
    def check(seed, dtype, pad_input, mode):
        rng = np.random.default_rng(seed)
        shape = tuple(rng.integers(2, 12, 2))
        image = rng.normal(40, 20, shape)
        image[: shape[0] // 2] = 5.0                        # a flat half
        image = np.clip(image, 0, 255).astype(dtype)
        t = tuple(int(rng.integers(1, n + 1)) for n in shape)
        template = image[:t[0], :t[1]].copy()
        den, _, _ = _match_denominator(image, template, pad_input, mode, 0)
        expected = R.match_denominator(image, template, pad_input, mode, 0)
        np.testing.assert_array_equal(den, expected, strict=True)

    check()


def test_the_check_is_exact_or_the_documented_rule():
    from skimage import feature

    from fastimg._cli import cases
    # a flat picture, enlarged: fastimg's scores differ from scikit-image's
    # by far more than 1e-3 where windows are nearly flat, within the bound
    x = _images.grey(_images.fit(_images.photograph()[100:107, 100:105], 24))
    case = cases.case("feature.match_template")
    ours, theirs = case.ours(x), case.anchor(x)
    verdict = case.check(ours, theirs, x)
    assert verdict.ok and verdict.diff > 1e-3, verdict
    # the bound is tight where the window is not flat: a wrong score fails
    photo = cases.bench_image(64)
    ours, theirs = case.ours(photo), case.anchor(photo)
    bound = cases.match_bound(*case.row.sample(lambda *a, **k: (a, k), photo)[0])
    assert bound.shape == ours.shape and np.median(bound) < 1e-3
    wrong = ours.copy()
    i = np.unravel_index(np.argmin(np.where(bound > 0, bound, np.inf)), bound.shape)
    wrong[i] += 1e-2
    assert case.check(ours, theirs, photo).ok and not case.check(wrong, theirs, photo).ok
    flat = np.argwhere(bound == 0)
    if flat.size:                       # scikit-image's zero at a flat window is exact
        wrong = ours.copy()
        wrong[tuple(flat[0])] = 1e-6
        assert not case.check(wrong, theirs, photo).ok
    assert np.array_equal(theirs, feature.match_template(photo, photo[16:24, 16:24]))
    # bit-identical functions: values and dtypes; NaN where NaN is equal
    a = np.array([1.0, np.nan])
    assert cases.exact(a, a.copy()).ok
    assert not cases.exact(a.astype(np.float32), a).ok
    assert not cases.exact(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-15])).ok
    assert not cases.compare("ndimage.sobel", a[:1], a, x).ok          # shapes differ


def test_bench_the_demo_and_the_benchmarks_run_the_same_cases():
    from benchmarks import _harness, bench_catalog, report

    from fastimg._cli import cases
    names = [r.qualname for r in _catalog.ROWS if r.anchor is not None]
    assert [c.name for c in cases.cases(with_anchor=True)] == names
    assert list(bench_catalog.FUNCTIONS.values()) == names
    assert set(bench_catalog.CASES) == set(bench_catalog.TITLES) == set(bench_catalog.FUNCTIONS)
    meta = report.bench_metadata()                       # the report reads the new file
    assert set(bench_catalog.CASES) <= set(meta["families"]["catalog"])
    x = cases.bench_image(48)
    np.testing.assert_array_equal(x, _images.grey(_images.fit(_images.photograph(), 48)))
    for name in ("ndimage.gaussian_filter", "feature.match_template", "measure.regionprops"):
        key = f"catalog:{name}"
        impls = bench_catalog.CASES[key]
        anchor = _catalog.find_row(name).anchor.partition(".")[0]
        ours = impls["fastimg"].make(x)()
        # the benchmark's call is the cases' call, and its check passes
        assert cases.exact(ours, cases.case(name).ours(x)).ok
        _harness.check(bench_catalog.CASES, key, "fastimg", 48, "float32", x, ours)
        assert impls["fastimg"].truth == anchor and impls[anchor].truth is None


# ------------------------------------------------------------------- run
def _run(files, tmp_path, function, source, target, *params):
    d, _ = files
    r = _fastimg("run", function, d / source, tmp_path / target, *params)
    assert r.returncode == 0, r.stdout + r.stderr
    path = tmp_path / target
    return tifffile.imread(path) if target.endswith(".tif") else np.asarray(PIL.open(path))


def test_run_8_and_16_bit_png_keep_their_dtype(files, tmp_path):
    from scipy import ndimage
    d, pictures = files
    for name in ("grey8", "grey16"):
        out = _run(files, tmp_path, "ndimage.median_filter", f"{name}.png", f"{name}.png",
                   "--size", "3")
        expected = ndimage.median_filter(pictures[name], size=3)
        np.testing.assert_array_equal(out, expected, strict=True)


def test_run_tiff_in_and_out_keeps_floats(files, tmp_path):
    from skimage import filters
    _, pictures = files
    out = _run(files, tmp_path, "filters.sobel", "grey16.tif", "sobel.tif")
    expected = filters.sobel(pictures["grey16"]).astype(np.float32)
    np.testing.assert_array_equal(out, expected)


def test_run_float_result_to_png_in_the_inputs_depth(files, tmp_path):
    from skimage import filters
    _, pictures = files
    out = _run(files, tmp_path, "filters.gaussian", "grey16.png", "g.png", "--sigma", "2")
    expected = filters.gaussian(pictures["grey16"], sigma=2)     # floats in [0, 1]
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, np.round(expected * 65535).astype(np.uint16))
    out = _run(files, tmp_path, "filters.gaussian", "grey8.png", "g8.png", "--sigma=2")
    assert out.dtype == np.uint8


def test_run_colour_per_channel_or_whole(files, tmp_path):
    from scipy import ndimage
    from skimage import transform
    _, pictures = files
    rgb = pictures["rgb8"]
    # ndimage's n-D filter has no channel_axis: each channel on its own
    out = _run(files, tmp_path, "ndimage.gaussian_filter", "rgb8.tif", "c.png",
               "--sigma", "1.5")
    expected = np.stack([ndimage.gaussian_filter(rgb[..., c], 1.5) for c in range(3)], -1)
    np.testing.assert_array_equal(out, expected)
    # pixelate takes channel_axis: the whole picture, channel_axis=-1
    out = _run(files, tmp_path, "transform.pixelate", "rgb8.png", "p.png", "--block", "5")
    expected = fastimg.transform.pixelate(rgb, 5, channel_axis=-1)
    np.testing.assert_array_equal(out, expected)
    # a bool result becomes 0/255; a tuple result writes its first array
    out = _run(files, tmp_path, "feature.canny", "grey8.png", "e.png", "--sigma", "1")
    assert set(np.unique(out)) <= {0, 255}
    out = _run(files, tmp_path, "transform.resize", "rgb8.png", "r.png",
               "--output_shape", "(25, 25)")
    assert out.shape == (25, 25, 3)
    np.testing.assert_array_equal(
        out, np.round(transform.resize(rgb, (25, 25)) * 255).astype(np.uint8))


def test_run_refuses_bad_input(files, tmp_path):
    d, _ = files
    png = d / "grey8.png"
    _refused(_fastimg("run", "filters.nope", png, tmp_path / "o.png"), "filters.nope")
    _refused(_fastimg("run", "gaussian", png, tmp_path / "o.png"), "filters.gaussian")
    _refused(_fastimg("run", "filters.gaussian", png, tmp_path / "o.png", "--sigmaa", "2"),
             "--sigmaa", "valid:", "--sigma")
    _refused(_fastimg("run", "filters.gaussian", png, tmp_path / "o.png", "--sigma"),
             "--sigma needs a value")
    _refused(_fastimg("run", "filters.gaussian", png, tmp_path / "o.png", "--sigma", "-2"),
             "filters.gaussian", "ValueError")
    _refused(_fastimg("run", "morphology.disk", png, tmp_path / "o.png"),
             "does not take an image")
    _refused(_fastimg("run", "filters.threshold_otsu", png, tmp_path / "o.png"),
             "not an image")
    _refused(_fastimg("run", "filters.gaussian", d / "nope.png", tmp_path / "o.png"),
             "nope.png", "no such file")
    _refused(_fastimg("run", "filters.gaussian", d / "text.png", tmp_path / "o.png"),
             "text.png", "not an image")
    _refused(_fastimg("run", "filters.gaussian", png, tmp_path / "no" / "o.png"),
             "does not exist")
    _refused(_fastimg("run", "filters.gaussian", png), "FUNCTION INPUT OUTPUT")


def test_parse_params_reads_literals_and_checks_names():
    import inspect
    sig = inspect.signature(_catalog.function(_catalog.find_row("filters.gaussian")))
    got = parse_params(["--sigma", "(2, 3)", "--mode=reflect", "--preserve-range", "True"],
                       "filters.gaussian", sig)
    assert got == {"sigma": (2, 3), "mode": "reflect", "preserve_range": True}
    with pytest.raises(CliError, match="unknown parameter --image"):
        parse_params(["--image", "1"], "filters.gaussian", sig)
    with pytest.raises(CliError, match="given twice"):
        parse_params(["--sigma", "1", "--sigma", "2"], "filters.gaussian", sig)


# ------------------------------------------------- bench, info, version, warmup
def test_bench_quick_one_family():
    r = _fastimg("bench", "--quick", "--family", "separable")
    assert r.returncode == 0, r.stdout + r.stderr
    rows = [row.qualname for row in _catalog.ROWS if row.family == "separable"]
    assert all(name in r.stdout for name in rows)
    assert "filters.gaussian" not in r.stdout          # another family
    assert "256x256" in r.stdout and "0.0e+00" in r.stdout
    _refused(_fastimg("bench", "--family", "nope"), "nope", "separable")


def test_info_and_version():
    r = _fastimg("info")
    assert r.returncode == 0, r.stdout + r.stderr
    for word in ("numba:", "threads:", "cpu (Numba):", "kernel cache:", "kernels cached"):
        assert word in r.stdout, word
    r = _fastimg("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"fastimg {fastimg.__version__}"
    _refused(_fastimg("nope", module="fastimg._cli.main"), "invalid choice")


def test_warmup_command_and_function():
    r = _fastimg("warmup", "--functions", "util.invert", "--dtypes", "uint8")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "done in" in r.stdout
    _refused(_fastimg("warmup", "--functions", "nope"), "nope")
    timings = fastimg.warmup(dtypes=("float32",))
    assert set(timings) >= {"ndimage.correlate", "ndimage.gaussian_filter", "signal.convolve2d",
                           "filters.sobel"}


# ----------------------------------------------------------- image files
def test_the_photograph_ships_with_its_licence():
    data = importlib.resources.files("fastimg") / "_data"
    licence = (data / "coffee.txt").read_text(encoding="utf-8")
    assert "CC0" in licence and "Rachel Michetti" in licence
    photo = _images.photograph()
    assert photo.shape == (400, 400, 3) and photo.dtype == np.uint8 and photo.std() > 20
    assert (data / "coffee.png").stat().st_size <= 300_000   # the wheel stays small


def test_the_wheel_ships_the_data_folder():
    # setuptools puts package data in the wheel by these globs (CI installs
    # from a clean clone, not editable): every file of fastimg/_data matches
    import fnmatch
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        globs = tomllib.load(fh)["tool"]["setuptools"]["package-data"]["fastimg"]
    folder = os.path.join(REPO, "fastimg", "_data")
    for name in os.listdir(folder):
        assert any(fnmatch.fnmatch(f"_data/{name}", g) for g in globs), name


@pytest.mark.parametrize("shape, dtype", [((5, 7), np.uint8), ((6, 4, 3), np.uint8),
                                          ((3, 9, 4), np.uint16), ((4, 4, 2), np.uint16)])
def test_png_writer_and_reader_round_trip(tmp_path, shape, dtype):
    rng = np.random.default_rng(3)
    a = rng.integers(0, np.iinfo(dtype).max, shape, endpoint=True).astype(dtype)
    write_png_array(tmp_path / "a.png", a)
    np.testing.assert_array_equal(read_png(tmp_path / "a.png"), a, strict=True)
    back = np.asarray(PIL.open(tmp_path / "a.png"))
    if dtype == np.uint8:                       # Pillow reads 8-bit PNGs as they are
        np.testing.assert_array_equal(back, a)


def test_png_reader_undoes_every_filter(tmp_path):
    # Pillow's optimised encoder uses Average and Paeth filters too
    a = _images.photograph()[:40, :30]
    PIL.fromarray(a).save(tmp_path / "p.png", optimize=True)
    np.testing.assert_array_equal(read_png(tmp_path / "p.png"), a)
    with pytest.raises(ValueError, match="not a PNG"):
        (tmp_path / "x.png").write_bytes(b"hello")
        read_png(tmp_path / "x.png")


def test_png_display_writer(tmp_path):
    img = _images.grey(_images.photograph())
    write_png(tmp_path / "x.png", img)
    np.testing.assert_array_equal(np.asarray(PIL.open(tmp_path / "x.png")), to_uint8(img))


def test_result_dtype_rule():
    rule = _images.to_file_dtype
    out, note = rule(np.array([[True, False]]), "o.png", True)
    assert out.dtype == np.uint8 and out.tolist() == [[255, 0]] and note is None
    out, _ = rule(np.array([[3, 300]], np.int32), "o.png", True)
    assert out.dtype == np.uint16
    with pytest.raises(CliError, match="write a .tif"):
        rule(np.array([[-1, 70000]], np.int64), "o.png", True)
    out, _ = rule(np.array([[-1, 70000]], np.int64), "o.tif", True)
    assert out.dtype == np.int64
    out, note = rule(np.array([[0.0, 0.5, 1.0]]), "o.png", False)
    assert out.tolist() == [[0, 32768, 65535]] and out.dtype == np.uint16 and note is None
    out, note = rule(np.array([[-2.0, 0.0, 2.0]]), "o.png", True)
    assert out.tolist() == [[0, 128, 255]] and "scaled" in note
    out, note = rule(np.array([[-2.0, 2.0]]), "o.tif", True)
    assert out.dtype == np.float32 and note is None


def test_warmup_tasks_cover_each_function_and_dtype_once():
    from fastimg._core import warmup as _warmup
    tasks = _warmup._tasks(_catalog.ROWS, None)
    done = sorted((name, dt) for _, dt, names in tasks for name in names)
    assert done == sorted((r.qualname, dt) for r in _catalog.ROWS for dt in r.dtypes)
    # families that compile the same kernels stay in one task per dtype, so
    # two workers never compile one kernel for one dtype at once
    group = {r.qualname: _warmup.kernel_groups()[r.family] for r in _catalog.ROWS}
    assert all(len({group[n] for n in names}) == 1 for _, _, names in tasks)
    assert len({(group[names[0]], dt) for _, dt, names in tasks}) == len(tasks)
    assert [t[0] for t in tasks] == sorted((t[0] for t in tasks), reverse=True)
    only = _warmup._tasks(_catalog.ROWS[:2], ["float32"])
    assert [dt for _, dt, _ in only] == ["float32"]


def test_warmup_groups_families_by_the_kernels_they_compile():
    from fastimg._core import warmup as _warmup
    group = _warmup.kernel_groups()
    assert set(group) == {r.family for r in _catalog.ROWS}
    # linear calls separable's and correlation's public functions, which run
    # the shared pass kernels; threshold counts with the histograms' kernels
    assert group["separable"] == group["linear"] == group["correlation"]
    assert group["threshold"] == group["histograms"] != group["correlation"]
    # hough compiles only its own kernels; canny borrows only a NumPy helper
    # from the module that drives the pass kernels
    assert group["hough"] == "hough" and group["edges"] == "edges"


def test_warmup_in_worker_processes_then_loads_here():
    names = ["util.invert", "exposure.adjust_log"]
    timings = fastimg.warmup(dtypes=("float32", "uint8"), functions=names, jobs=2)
    assert sorted(timings) == sorted(names)
    # loaded into this process: calling compiles nothing more
    from fastimg._core import jit as _jit
    before = {id(d): len(d.signatures) for d in _jit.REGISTRY}
    fastimg.exposure.adjust_log(np.ones((256, 256), np.float32))
    assert {id(d): len(d.signatures) for d in _jit.REGISTRY} == before


def test_warmup_rejects_no_jobs():
    with pytest.raises(ValueError, match="jobs must be >= 1, got 0"):
        fastimg.warmup(functions=["util.invert"], jobs=0)


# ------------------------------------------------------ found in review
def test_tour_ellipse_on_a_picture_without_edges():
    # hough_ellipse gives a plain (0, 6) array when there are no edges at
    # all (as scikit-image's does): the step draws nothing, it does not fail
    from fastimg._cli.demo import _resolver
    from fastimg._cli.tour import Scene
    grey = np.full((32, 32), 0.5, np.float32)
    scene = Scene(grey, np.repeat(grey[..., None], 3, axis=2))
    step = next(s for s in TOUR if s.title == "Hough ellipse")
    ours = step.run(_resolver(False), scene)
    np.testing.assert_array_equal(ours, step.run(_resolver(True), scene))
    np.testing.assert_array_equal(ours[..., 0], 0.75 * grey)     # the dimmed picture only


def test_demo_pictures_of_coordinates_and_footprints():
    # peaks and polygon vertices are drawn on the photograph; a footprint
    # of ones is white, not black
    from fastimg._cli.demo import _picture
    from skimage import feature, morphology
    x = _images.grey(_images.fit(_images.photograph(), 64))
    peaks = feature.peak_local_max(x, min_distance=5)
    shown = _picture(peaks, x)
    assert shown.shape == (64, 64, 3) and shown.dtype == np.uint8
    red = (shown[..., 0] > 200) & (shown[..., 1] < 100)
    assert red[peaks[:, 0], peaks[:, 1]].all()
    np.testing.assert_array_equal(_picture(np.ones((5, 5), np.uint8), x), 255)
    disk = morphology.disk(3)
    np.testing.assert_array_equal(_picture(disk, x), disk * np.uint8(255))
    assert _picture(np.arange(3.0), x) is None


def test_run_takes_the_files_after_the_parameters_too(files, tmp_path):
    d, _ = files
    usual = _fastimg("run", "filters.gaussian", d / "grey8.png", tmp_path / "a.png",
                     "--sigma", "2")
    moved = _fastimg("run", "filters.gaussian", "--sigma", "2", d / "grey8.png",
                     tmp_path / "b.png")
    assert usual.returncode == moved.returncode == 0, usual.stderr + moved.stderr
    np.testing.assert_array_equal(read_png(tmp_path / "a.png"), read_png(tmp_path / "b.png"))
    _refused(_fastimg("run", "filters.gaussian", d / "grey8.png", "a.png", "b.png"),
             "FUNCTION INPUT OUTPUT", "3 file names")


def test_run_refuses_coordinates_and_histograms(files, tmp_path):
    d, _ = files
    _refused(_fastimg("run", "feature.peak_local_max", d / "grey8.png", tmp_path / "o.png"),
             "feature.peak_local_max", "coordinates", "nothing written")
    _refused(_fastimg("run", "feature.peak_local_max", d / "rgb8.png", tmp_path / "o.png"),
             "feature.peak_local_max", "per colour channel")
    _refused(_fastimg("run", "exposure.histogram", d / "rgb8.png", tmp_path / "o.png"),
             "exposure.histogram", "not an image")
    assert not (tmp_path / "o.png").exists()
    r = _fastimg("run", "transform.hough_line", d / "grey8.png", tmp_path / "h.png")
    assert r.returncode == 0, r.stderr          # a Hough space is a picture


def test_warmup_refuses_an_unknown_dtype():
    _refused(_fastimg("warmup", "--dtypes", "uint9", "--functions", "util.invert"),
             "--dtypes", "'uint9'")


@pytest.mark.parametrize("size", [128, 256])
def test_tour_circle_is_drawn_on_the_cups_opening(size):
    # one circle, centred on the cup's opening (upper middle of the
    # photograph), not circles crossing the cup where it has none
    from fastimg._cli.demo import _resolver
    from fastimg._cli.tour import Scene
    square = _images.fit(_images.photograph(), size)
    scene = Scene(_images.grey(square), _images.colour(square))
    step = next(s for s in TOUR if s.title == "Hough circles")
    shown = step.run(_resolver(False), scene)
    rows, cols = np.nonzero((shown[..., 0] > 0.9) & (shown[..., 1] < 0.3))
    assert rows.size > 0
    rc, cc = rows.mean() / size, cols.mean() / size
    assert 0.2 < rc < 0.45 and 0.35 < cc < 0.65, (rc, cc)
    radius = np.hypot(rows - rows.mean(), cols - cols.mean())
    assert radius.std() < 0.1 * radius.mean()        # the pixels of one circle


def test_run_refuses_a_folder_as_output(files, tmp_path):
    d, _ = files
    _refused(_fastimg("run", "filters.gaussian", d / "grey8.png", tmp_path), "is a folder")
