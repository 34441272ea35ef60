"""The pure checks: the chain walk from GENESIS to the head, and sealed digests vs the rows now."""

from __future__ import annotations

import json

from audit.chain import GENESIS, record_hash
from audit.findings import HasilVerifikasi, Temuan, check_chain, compare_digests, replaced_tables
from tests.audit.records import chain, head_of, record

# ---------------------------------------------------------------- the chain


def test_intact_chain_passes():
    records = chain(4)
    assert check_chain(records, head_of(records)) == []
    assert check_chain([], {"id": 1, "jumlah": 0, "kepala_hash": None}) == []
    assert check_chain([], None) == []


def test_edited_record_is_named():
    records = chain(3)
    records[1] = dict(records[1], counts=json.dumps({"dinilai": 1}))
    temuan = check_chain(records, head_of(records))
    assert [(t.tabel, t.kunci, t.stage_run_id) for t in temuan] == [("stage_run", "id=2", 2)]
    assert "diubah" in temuan[0].uraian


def test_edited_record_with_recomputed_hash_breaks_the_next_link():
    records = chain(3)
    forged = dict(records[1], counts=json.dumps({"dinilai": 1}))
    forged["record_hash"] = record_hash(forged)
    records[1] = forged
    temuan = check_chain(records, head_of(records))
    assert [(t.kunci, t.stage_run_id) for t in temuan] == [("id=3", 3)]
    assert "rantai putus" in temuan[0].uraian


def test_deleted_record_leaves_a_gap():
    records = chain(4)
    head = head_of(records)
    del records[1]
    uraian = " | ".join(t.uraian for t in check_chain(records, head))
    assert "urutan 2 tidak ada" in uraian and "sesudah stage run 1" in uraian
    assert "sebelum stage run 3" in uraian
    assert "rantai putus" in uraian


def test_several_deleted_records_are_named_as_a_range():
    records = chain(5)
    head = head_of(records)
    temuan = check_chain([records[0], records[4]], head)
    assert [t.kunci for t in temuan if t.stage_run_id is None] == ["urutan_rantai=2–4"]


def test_deleted_newest_record_is_caught_by_the_head():
    records = chain(3)
    head = head_of(records)
    temuan = check_chain(records[:-1], head)
    assert [t.tabel for t in temuan] == ["rantai_audit"]
    assert "berakhir di urutan 2" in temuan[0].uraian


def test_a_forked_chain_is_named():
    records = chain(2)
    twin = record(3, records[0]["record_hash"], urutan_rantai=2)
    temuan = check_chain([*records, twin], head_of(records))
    assert ("id=3", "urutan_rantai 2 ganda (rantai bercabang)") in [(t.kunci, t.uraian) for t in temuan]


def test_unsealed_records_closed_or_running():
    records = chain(2)
    running = dict(record(3, records[-1]["record_hash"]), record_hash=None, outcome="berjalan",
                   urutan_rantai=None)
    assert check_chain([*records, running], head_of(records)) == []
    closed = dict(running, outcome="berhasil")
    assert [t.kunci for t in check_chain([*records, closed], head_of(records))] == ["id=3"]


def test_verification_passes_only_without_findings():
    hasil = HasilVerifikasi(tahun=2026)
    assert hasil.lulus
    hasil.temuan.append(Temuan("rantai", "stage_run", "id=1", 1, "x"))
    assert not hasil.lulus


# ---------------------------------------------------------------- sealed rows vs rows now


def test_rows_rewritten_by_a_later_run_of_the_year_are_not_tampering():
    first = record(1, GENESIS, counts=json.dumps({"hasil_penilaian_ditulis": 150}))
    later = record(2, first["record_hash"], counts=json.dumps({"hasil_penilaian_ditulis": 148}))
    skipped = record(2, first["record_hash"],
                     counts=json.dumps({"hasil_penilaian_ditulis": 0, "sama_dengan_stage_run": 1}))
    assert replaced_tables(later) == {"hasil_penilaian"} and replaced_tables(skipped) == set()
    temuan, diganti = compare_digests(first, {}, [later])
    assert temuan == [] and diganti == ["hasil_penilaian (150 baris) diganti stage run 2"]
    temuan, _ = compare_digests(first, {}, [skipped])
    assert [(t.tabel, t.stage_run_id) for t in temuan] == [("hasil_penilaian", 1)]
    assert "dihapus" in temuan[0].uraian


def test_changed_and_inserted_rows():
    run = record(1, GENESIS)
    same = {"hasil_penilaian": {"baris": 150, "sha256": "ef" * 32}}
    assert compare_digests(run, same, []) == ([], [])
    changed = {"hasil_penilaian": {"baris": 150, "sha256": "00" * 32},
               "karantina": {"baris": 1, "sha256": "1"}}
    temuan, _ = compare_digests(run, changed, [])
    assert {t.tabel: t.uraian for t in temuan} == {
        "hasil_penilaian": "isi 150 baris berbeda dari yang disegel (digest berbeda): nilai diubah",
        "karantina": "1 baris tidak tercakup segel stage run ini: baris disisipkan?",
    }


def test_fewer_rows_than_sealed():
    run = record(1, GENESIS)
    temuan, _ = compare_digests(run, {"hasil_penilaian": {"baris": 149, "sha256": "00" * 32}}, [])
    assert [t.uraian for t in temuan] == [
        "150 baris tersegel, 149 sekarang: baris dihapus/disisipkan (digest berbeda)"]
