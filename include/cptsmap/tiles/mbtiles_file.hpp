#pragma once
// An MBTiles file read as it is stored (SQLite, https://github.com/mapbox/mbtiles-spec): its
// metadata, and each tile's bytes as written (gzip-compressed MVT from GDAL), for `cptsmap serve`.
// GDAL's MBTiles driver decodes tiles into features; a tile server passes them on untouched, so
// this reads the SQLite tables directly.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

struct sqlite3;

namespace cptsmap {

class MbtilesFile {
public:
    // Opens `path` read-only; throws InputError when it is missing or not an MBTiles file.
    explicit MbtilesFile(const std::string& path);
    ~MbtilesFile();
    MbtilesFile(const MbtilesFile&) = delete;
    MbtilesFile& operator=(const MbtilesFile&) = delete;

    // The tile at zoom z, column x, row y counted from the top (XYZ, as web maps ask for it; the
    // file counts rows from the bottom); nullopt where there is none. Safe from several threads.
    std::optional<std::string> tile(int z, int x, int y) const;
    // The metadata table (name, format, minzoom, maxzoom, bounds, center, json...).
    const std::map<std::string, std::string>& metadata() const noexcept { return metadata_; }
    // A TileJSON 3.0.0 document for the tiles at `tiles_url` ("http://host/tiles/{z}/{x}/{y}.pbf").
    std::string tilejson(const std::string& tiles_url) const;
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> metadata_;
};

// True when `bytes` start as a gzip stream does (the tiles GDAL writes).
bool gzip_compressed(const std::string& bytes) noexcept;

} // namespace cptsmap
