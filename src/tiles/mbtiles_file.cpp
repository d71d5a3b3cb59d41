#include "cptsmap/tiles/mbtiles_file.hpp"

#include "cptsmap/error.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <sstream>

namespace cptsmap {

namespace {

struct StatementDeleter {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Statement prepare(sqlite3* db, const char* sql)
{
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return nullptr;
    return Statement(s);
}

std::string column_text(sqlite3_stmt* s, int i)
{
    const unsigned char* t = sqlite3_column_text(s, i);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

// "a,b,c,d" → [a, b, c, d] (numbers), or null.
nlohmann::ordered_json numbers(const std::string& csv)
{
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    std::istringstream in(csv);
    for (std::string item; std::getline(in, item, ',');) {
        try {
            out.push_back(std::stod(item));
        } catch (const std::exception&) {
            return nullptr;
        }
    }
    return out;
}

} // namespace

bool gzip_compressed(const std::string& bytes) noexcept
{
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b;
}

MbtilesFile::MbtilesFile(const std::string& path) : path_(path)
{
    if (!std::filesystem::is_regular_file(path))
        throw InputError("no vector tiles at " + path + ": build them with `cptsmap build --format mbtiles` (and --map for map.html)");
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw InputError("cannot open " + path + " (SQLite: " + why + ")");
    }
    Statement s = prepare(db_, "SELECT name, value FROM metadata");
    Statement tiles = prepare(db_, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1");
    if (!s || !tiles) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw InputError(path + " is not an MBTiles file (no metadata and tiles tables): give the output folder of `cptsmap build --format mbtiles`");
    }
    while (sqlite3_step(s.get()) == SQLITE_ROW) metadata_[column_text(s.get(), 0)] = column_text(s.get(), 1);
}

MbtilesFile::~MbtilesFile() { sqlite3_close(db_); }

std::optional<std::string> MbtilesFile::tile(int z, int x, int y) const
{
    if (z < 0 || z > 30 || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z)) return std::nullopt;
    std::lock_guard lock(mutex_);
    Statement s = prepare(db_, "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3");
    if (!s) return std::nullopt;
    sqlite3_bind_int(s.get(), 1, z);
    sqlite3_bind_int(s.get(), 2, x);
    sqlite3_bind_int(s.get(), 3, (1 << z) - 1 - y);
    if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
    const void* blob = sqlite3_column_blob(s.get(), 0);
    return std::string(static_cast<const char*>(blob), static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0)));
}

std::string MbtilesFile::tilejson(const std::string& tiles_url) const
{
    nlohmann::ordered_json j;
    const auto meta = [&](const char* key) -> std::string {
        const auto it = metadata_.find(key);
        return it == metadata_.end() ? std::string() : it->second;
    };
    j["tilejson"] = "3.0.0";
    j["name"] = meta("name");
    j["description"] = meta("description");
    j["scheme"] = "xyz";
    j["tiles"] = {tiles_url};
    const auto zoom = [&](const char* key, int fallback) {
        try {
            return std::stoi(meta(key));
        } catch (const std::exception&) {
            return fallback;
        }
    };
    j["minzoom"] = zoom("minzoom", 0);
    j["maxzoom"] = zoom("maxzoom", 14);
    if (auto b = numbers(meta("bounds")); b.is_array() && b.size() == 4) j["bounds"] = b;
    if (auto c = numbers(meta("center")); c.is_array() && c.size() == 3) j["center"] = c;
    const nlohmann::ordered_json layers = nlohmann::ordered_json::parse(meta("json"), nullptr, false);
    j["vector_layers"] = layers.is_object() && layers.contains("vector_layers") ? layers["vector_layers"] : nlohmann::ordered_json::array();
    return j.dump(2);
}

} // namespace cptsmap
