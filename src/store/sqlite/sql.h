#pragma once

// Every SQL statement the SQLite backend runs, in one place. The schema and the meaning of each
// column are described in docs/design/store.md.
namespace tug::store::sqlite::sql {

// 'TUG1': marks the file as ours, so a foreign SQLite file is refused instead of written.
inline constexpr int kApplicationId = 0x54554731;
inline constexpr int kSchemaVersion = 1;

inline constexpr const char* kCreateSchema = R"(
CREATE TABLE kv (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision   INTEGER NOT NULL,
  deleted         INTEGER NOT NULL,
  value           BLOB    NOT NULL
);
CREATE INDEX kv_name_id ON kv (name, id);
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (name, value) VALUES ('compacted_revision', 0);
)";

// Compaction only removes rows at or before the compacted revision, so the newest row is the
// current revision unless compaction removed it (a delete), and then the compacted one is.
inline constexpr const char* kCurrentRevision =
    "SELECT MAX(COALESCE((SELECT MAX(id) FROM kv), 0), "
    "           (SELECT value FROM meta WHERE name = 'compacted_revision'))";
inline constexpr const char* kCompactedRevision =
    "SELECT value FROM meta WHERE name = 'compacted_revision'";
inline constexpr const char* kSetCompactedRevision =
    "UPDATE meta SET value = ?1 WHERE name = 'compacted_revision'";

// The newest row of one key at or before a revision.
inline constexpr const char* kGetAt =
    "SELECT id, create_revision, deleted, value FROM kv "
    "WHERE name = ?1 AND id <= ?2 ORDER BY id DESC LIMIT 1";

// The newest row of every key in [?1, ?2) at or before revision ?3 that is live, in key order.
// Walking the (name, id) index and checking each row against its key's newest version keeps
// the rows in index order: grouping first would sort every value in a temporary tree.
inline constexpr const char* kListAt =
    "SELECT id, name, create_revision, value FROM kv AS k "
    "WHERE name >= ?1 AND name < ?2 AND id <= ?3 AND deleted = 0 "
    "  AND id = (SELECT MAX(id) FROM kv AS n WHERE n.name = k.name AND n.id <= ?3) "
    "ORDER BY name LIMIT ?4";

inline constexpr const char* kCountAt =
    "SELECT COUNT(*) FROM kv AS k "
    "WHERE name >= ?1 AND name < ?2 AND id <= ?3 AND deleted = 0 "
    "  AND id = (SELECT MAX(id) FROM kv AS n WHERE n.name = k.name AND n.id <= ?3)";

// Every write in (?1, ?2] under [?3, ?4) with the version it replaced, in revision order.
inline constexpr const char* kHistory =
    "SELECT kv.id, kv.name, kv.create_revision, kv.deleted, kv.value, kv.prev_revision, "
    "       prev.create_revision, prev.value "
    "FROM kv LEFT JOIN kv AS prev ON prev.id = kv.prev_revision "
    "WHERE kv.id > ?1 AND kv.id <= ?2 AND kv.name >= ?3 AND kv.name < ?4 ORDER BY kv.id";

inline constexpr const char* kInsert =
    "INSERT INTO kv (id, name, create_revision, prev_revision, deleted, value) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

// Compaction of the revisions in (?1, ?2]: each write there supersedes the row it replaced, and
// each delete there leaves nothing to keep.
inline constexpr const char* kCompactSuperseded =
    "DELETE FROM kv WHERE id IN "
    "(SELECT prev_revision FROM kv WHERE id > ?1 AND id <= ?2 AND prev_revision > 0)";
inline constexpr const char* kCompactTombstones =
    "DELETE FROM kv WHERE id > ?1 AND id <= ?2 AND deleted = 1";

}  // namespace tug::store::sqlite::sql
