#pragma once
// `cptsmap serve`: a small local web server for the output folder of `build --format mbtiles
// --map`, so that map.html can read its vector tiles (a page opened from the disk may not read
// other files). It serves
//   /                            the folder's map.html
//   /tiles/{z}/{x}/{y}.pbf       the tiles of cptsmap.mbtiles, as stored (gzip-compressed MVT);
//                                204 No Content where a tile has no feature
//   /tiles.json                  their TileJSON (for MapLibre, QGIS and other clients)
//   /<file>                      the other files of the folder (report.json, the GeoJSON layers...)
// and nothing else: no file outside the folder, no listing. It listens on 127.0.0.1 unless told
// otherwise. Built on Boost.Beast (HTTP/1.1, keep-alive), one thread per connection.
#include "cptsmap/tiles/mbtiles_file.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace cptsmap {

struct ServeOptions {
    std::string folder;             // the output folder of a build
    std::string host = "127.0.0.1"; // the address to listen on
    unsigned short port = 8080;     // 0: any free port (port() tells which)
    // Called after each request with a line ("GET /tiles/7/65/45.pbf 200 10.2 kB"); DEFAULT: none.
    std::function<void(const std::string&)> log;
};

struct ServeCounts {
    std::size_t tiles = 0;       // tiles sent
    std::size_t empty_tiles = 0; // tiles asked for where there is none (204)
    std::size_t files = 0;       // pages and other files sent
    std::size_t not_found = 0;   // 404 and 405 answers
};

class TileServer {
public:
    // Opens the folder's cptsmap.mbtiles and listens; throws InputError when the folder has no
    // tiles, and Error when the address cannot be listened on (a port in use).
    explicit TileServer(ServeOptions options);
    ~TileServer();
    TileServer(const TileServer&) = delete;
    TileServer& operator=(const TileServer&) = delete;

    unsigned short port() const noexcept;
    std::string url() const; // "http://127.0.0.1:8080/"
    // Answers requests until stop(); then closes every connection and returns.
    void run();
    // From any thread (or a signal's watcher): makes run() return.
    void stop();
    ServeCounts counts() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace cptsmap
