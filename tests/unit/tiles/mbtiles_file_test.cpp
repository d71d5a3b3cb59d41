// Reading an MBTiles file as stored: rows counted from the bottom, metadata, TileJSON; the local
// server on top of it, over real HTTP (Boost.Beast's client).
#include "cptsmap/error.hpp"
#include "cptsmap/tiles/mbtiles_file.hpp"
#include "cptsmap/tiles/tile_server.hpp"
#include "test_support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <thread>

using namespace cptsmap;
using namespace cptsmap::test;
namespace http = boost::beast::http;

namespace {

// An MBTiles file with two tiles: zoom 1, column 0, TMS row 1 (XYZ row 0) gzip-like bytes, and
// zoom 2, column 3, TMS row 0 (XYZ row 3) plain bytes.
void write_mbtiles(const std::filesystem::path& path)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const char* sql = "CREATE TABLE metadata (name text, value text);"
                      "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);"
                      "INSERT INTO metadata VALUES ('name', 'test'), ('format', 'pbf'), ('minzoom', '1'), ('maxzoom', '2'),"
                      " ('bounds', '4.0,47.0,5.5,48.0'), ('center', '4.75,47.5,1'),"
                      " ('json', '{\"vector_layers\":[{\"id\":\"communes\",\"fields\":{\"insee\":\"String\"}}]}');"
                      "INSERT INTO tiles VALUES (1, 0, 1, X'1f8b0800'), (2, 3, 0, X'414243');";
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

struct Reply {
    int status = 0;
    std::string body, content_type, encoding;
};

Reply get(unsigned short port, const std::string& target, http::verb verb = http::verb::get)
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req(verb, target, 11);
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    req.keep_alive(false);
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(verb == http::verb::head); // a HEAD answer has a length but no body
    http::read(socket, buffer, parser);
    const auto& res = parser.get();
    return {static_cast<int>(res.result_int()), res.body(), std::string(res[http::field::content_type]), std::string(res[http::field::content_encoding])};
}

} // namespace

TEST_CASE("an MBTiles file gives its tiles by XYZ row, and nothing outside them", "[tiles]")
{
    TempDir dir;
    write_mbtiles(dir / "t.mbtiles");
    const MbtilesFile f((dir / "t.mbtiles").string());
    CHECK(f.tile(1, 0, 0) == std::string("\x1f\x8b\x08\x00", 4));
    CHECK(gzip_compressed(*f.tile(1, 0, 0)));
    CHECK(f.tile(2, 3, 3) == std::string("ABC"));
    CHECK_FALSE(gzip_compressed(*f.tile(2, 3, 3)));
    CHECK_FALSE(f.tile(1, 0, 1)); // TMS row 0 of zoom 1: none
    CHECK_FALSE(f.tile(2, 4, 0)); // outside the zoom's columns
    CHECK_FALSE(f.tile(-1, 0, 0));
    CHECK(f.metadata().at("maxzoom") == "2");
    const nlohmann::json tj = nlohmann::json::parse(f.tilejson("http://h/tiles/{z}/{x}/{y}.pbf"));
    CHECK(tj["tilejson"] == "3.0.0");
    CHECK(tj["tiles"][0] == "http://h/tiles/{z}/{x}/{y}.pbf");
    CHECK(tj["minzoom"] == 1);
    CHECK(tj["maxzoom"] == 2);
    CHECK(tj["bounds"] == nlohmann::json::array({4.0, 47.0, 5.5, 48.0}));
    CHECK(tj["vector_layers"][0]["id"] == "communes");
}

TEST_CASE("a missing file or another SQLite database is not taken for tiles", "[tiles]")
{
    TempDir dir;
    CHECK_THROWS_AS(MbtilesFile((dir / "none.mbtiles").string()), InputError);
    CHECK_THROWS_WITH(MbtilesFile((dir / "none.mbtiles").string()), Catch::Contains("--format mbtiles"));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "other.db").c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (a integer);", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    CHECK_THROWS_WITH(MbtilesFile((dir / "other.db").string()), Catch::Contains("not an MBTiles file"));
    write_file(dir / "text.mbtiles", "not a database at all, but long enough to be read as one");
    CHECK_THROWS_AS(MbtilesFile((dir / "text.mbtiles").string()), InputError);
}

TEST_CASE("cptsmap serve answers the page, the tiles, their TileJSON and the folder's files, and nothing else", "[tiles]")
{
    TempDir dir;
    write_mbtiles(dir / "cptsmap.mbtiles");
    write_file(dir / "map.html", "<!DOCTYPE html><title>m</title>");
    write_file(dir / "report.json", "{}");
    std::filesystem::create_directory(dir / "sub");
    write_file(dir / "sub" / "secret.txt", "no");
    ServeOptions options;
    options.folder = dir.path().string();
    options.port = 0;
    std::vector<std::string> log;
    std::mutex log_mutex;
    options.log = [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        log.push_back(line);
    };
    TileServer server(options);
    const unsigned short port = server.port();
    REQUIRE(port != 0);
    std::thread runner([&] { server.run(); });

    const Reply page = get(port, "/");
    CHECK(page.status == 200);
    CHECK(page.body == "<!DOCTYPE html><title>m</title>");
    CHECK(page.content_type == "text/html; charset=utf-8");
    const Reply tile = get(port, "/tiles/1/0/0.pbf");
    CHECK(tile.status == 200);
    CHECK(tile.encoding == "gzip");
    CHECK(tile.body == std::string("\x1f\x8b\x08\x00", 4));
    const Reply plain = get(port, "/tiles/2/3/3.pbf?v=1");
    CHECK(plain.status == 200);
    CHECK(plain.encoding.empty());
    CHECK(plain.body == "ABC");
    CHECK(get(port, "/tiles/2/0/0.pbf").status == 204);
    const Reply tj = get(port, "/tiles.json");
    CHECK(tj.status == 200);
    CHECK(nlohmann::json::parse(tj.body)["tiles"][0] == "http://127.0.0.1:" + std::to_string(port) + "/tiles/{z}/{x}/{y}.pbf");
    CHECK(get(port, "/report.json").body == "{}");
    CHECK(get(port, "/report.json", http::verb::head).status == 200);
    for (const char* refused : {"/cptsmap.mbtiles", "/sub/secret.txt", "/../../etc/passwd", "/%2e%2e/etc/passwd", "/.hidden"})
        CHECK(get(port, refused).status == 404);
    CHECK(get(port, "/", http::verb::post).status == 405);

    server.stop();
    runner.join();
    const ServeCounts c = server.counts();
    CHECK(c.tiles == 2);
    CHECK(c.empty_tiles == 1);
    CHECK(c.files == 4);
    CHECK(c.not_found == 6);
    CHECK(log.size() == 13);
    CHECK_THAT(log.front(), Catch::StartsWith("GET / 200"));
}

TEST_CASE("cptsmap serve refuses a folder without tiles and a port in use", "[tiles]")
{
    TempDir dir;
    ServeOptions options;
    options.folder = dir.path().string();
    options.port = 0;
    CHECK_THROWS_WITH(TileServer(options), Catch::Contains("--format mbtiles"));
    write_mbtiles(dir / "cptsmap.mbtiles");
    TileServer first(options);
    options.port = first.port();
    CHECK_THROWS_WITH(TileServer(options), Catch::Contains("--port"));
    options.host = "not-an-address";
    CHECK_THROWS_WITH(TileServer(options), Catch::Contains("not an IP address"));
}
