"""The demo generator's data files must load complete, consistent and only when generating."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import pytest

from contract.schema import (
    ARAH,
    ASPEK,
    BERAKHLAK,
    JENIS_JABATAN,
    JENIS_UMPAN_BALIK,
    PREDIKAT_ORGANISASI,
    RATING,
)
from kinerja.demo import reference
from kinerja.demo.perilaku import RATER_BIASES
from kinerja.demo.reference import Reference, load_reference


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


def test_every_list_is_non_empty(ref: Reference) -> None:
    for name in ("instansi", "opd", "unit_tambahan", "kinds", "indikator_umum", "indikator_tambahan",
                 "nama", "katalog", "pelatihan_luar", "archetypes"):
        assert len(getattr(ref, name)) > 0, name
    for key, kind in ref.kinds.items():
        assert kind.kepala and kind.staf and kind.indikator, key
    for ins in ref.instansi:
        assert ins.kecamatan and ins.rater_biases, ins.kode
    for wilayah, by_sex in ref.nama.items():
        assert set(by_sex) == {"pria", "wanita"}, wilayah
        assert all(n.depan and n.belakang for n in by_sex.values()), wilayah
    assert all(ref.gelar) and ref.catatan.atasan and ref.catatan.rekan and ref.catatan.koreksi


def test_codes_are_unique(ref: Reference) -> None:
    for field in ("kode", "singkat", "nama", "domain"):
        values = [getattr(x, field) for x in ref.instansi]
        assert len(set(values)) == len(values), field
    names = [p.nama_pelatihan for p in ref.katalog + ref.pelatihan_luar]
    assert len(set(names)) == len(names)
    opd = [(o.nama, o.kecamatan) for o in ref.opd]
    assert len(set(opd)) == len(opd)
    assert len({a.name for a in ref.archetypes}) == len(ref.archetypes)
    for key, kind in ref.kinds.items():
        jabatan = [*kind.administrator, *kind.pengawas, *(s.jabatan for s in kind.staf)]
        assert len(set(jabatan)) == len(jabatan), key


def test_cross_references_resolve(ref: Reference) -> None:
    assert {o.kind for o in ref.opd} <= set(ref.kinds)
    assert {"setda"} <= {o.kind for o in ref.opd}
    for extra in ref.unit_tambahan:
        assert extra.kind in ref.kinds and extra.induk in ref.kinds
    assert {x.wilayah for x in ref.instansi} <= set(ref.nama)
    for ins in ref.instansi:
        assert ins.showcase_predikat in PREDIKAT_ORGANISASI
        assert set(ins.rater_biases) <= set(RATER_BIASES)
    for key, kind in ref.kinds.items():
        assert kind.jenis_jabatan_kepala in JENIS_JABATAN, key
        assert {s.jenis_jabatan for s in kind.staf} <= set(JENIS_JABATAN), key
    assert set(ref.catatan.umpan_balik) == set(JENIS_UMPAN_BALIK)
    assert {"sesuai", "perilaku_bermasalah"} <= {a.name for a in ref.archetypes}


def test_indikator_templates_are_valid(ref: Reference) -> None:
    kompetensi = {p.kompetensi for p in ref.katalog}
    assert set(BERAKHLAK) <= kompetensi
    templates = [t for k in ref.kinds.values() for t in k.indikator]
    templates += [*ref.indikator_umum, *ref.indikator_tambahan]
    for t in templates:
        assert t.rencana_hasil_kerja and t.indikator and t.satuan, t
        assert t.aspek in ASPEK and t.arah in ARAH, t
        assert isinstance(t.target_min, int) and isinstance(t.target_max, int), t
        assert 0 < t.target_min <= t.target_max, t
        assert t.kompetensi == "" or t.kompetensi in kompetensi, t


def test_indikator_file_has_no_orphan_group() -> None:
    groups = set(reference.read_data_file("indikator.toml"))
    kinds = set(reference.read_data_file("unit_kerja.toml")["kind"])
    assert groups == kinds | {"umum", "tambahan"}


def test_shares_and_probabilities_add_up(ref: Reference) -> None:
    assert math.isclose(sum(x.share for x in ref.instansi), 1.0)
    assert math.isclose(sum(x.share for x in ref.unit_tambahan), 1.0)
    assert math.isclose(sum(a.share for a in ref.archetypes), 1.0)
    for a in ref.archetypes:
        assert a.kinerja_min <= a.kinerja_max and 1 <= a.perilaku_mean <= 5, a.name
        assert len(a.umpan_balik_jenis) == len(JENIS_UMPAN_BALIK), a.name
        assert math.isclose(sum(a.umpan_balik_count), 1.0), a.name
        assert math.isclose(sum(a.umpan_balik_jenis), 1.0), a.name
    assert all(size.size_weight > 0 for size in ref.kinds.values())


def test_training_and_rating_values(ref: Reference) -> None:
    assert all(isinstance(p.jp, int) and p.jp > 0 for p in ref.katalog + ref.pelatihan_luar)
    for k in ref.catatan.koreksi:
        assert {k.rating_hasil_kerja, k.rating_perilaku} <= {"", *RATING}, k
        assert k.rating_hasil_kerja or k.rating_perilaku, k
        assert k.alasan, k


def test_unknown_key_in_a_data_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    read = reference.read_data_file

    def with_typo(name: str) -> dict[str, Any]:
        data = read(name)
        if name == "instansi.toml":
            data["instansi"][0]["kot"] = "typo"
        return data

    monkeypatch.setattr(reference, "read_data_file", with_typo)
    with pytest.raises(TypeError, match="kot"):
        load_reference()


def test_nothing_is_read_at_import() -> None:
    code = (
        "import sys\n"
        "def hook(event, args):\n"
        "    if event == 'open' and 'demo/data' in str(args[0]).replace(chr(92), '/'):\n"
        "        raise SystemExit(f'read at import: {args[0]}')\n"
        "sys.addaudithook(hook)\n"
        "import kinerja.demo, kinerja.demo.generator, kinerja.demo.reference\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
