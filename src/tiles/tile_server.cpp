#include "cptsmap/tiles/tile_server.hpp"

#include "cptsmap/error.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <list>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

namespace cptsmap {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
namespace fs = std::filesystem;

namespace {

constexpr const char* kTilesFile = "cptsmap.mbtiles";

std::string content_type(const fs::path& file)
{
    const std::string ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".geojson") return "application/geo+json";
    if (ext == ".csv") return "text/csv; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".qml") return "application/xml";
    return "application/octet-stream";
}

std::string read_all(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string size_text(std::size_t bytes)
{
    char buf[32];
    if (bytes < 1000) std::snprintf(buf, sizeof buf, "%zu B", bytes);
    else std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1000.0);
    return buf;
}

// (The paths are parsed by hand, not with std::regex: libstdc++'s regex fills the locale's
// character cache lazily, a data race between the connections' threads.)
bool read_number(std::string_view s, std::size_t max_digits, int& out)
{
    if (s.empty() || s.size() > max_digits) return false;
    out = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

// "/tiles/{z}/{x}/{y}.pbf" (or .mvt): z of 1 or 2 digits, x and y of 1 to 9.
bool tile_path(std::string_view path, int& z, int& x, int& y)
{
    constexpr std::string_view prefix = "/tiles/";
    if (!path.starts_with(prefix) || !(path.ends_with(".pbf") || path.ends_with(".mvt"))) return false;
    path.remove_prefix(prefix.size());
    path.remove_suffix(4);
    const std::size_t a = path.find('/');
    const std::size_t b = a == std::string_view::npos ? a : path.find('/', a + 1);
    if (b == std::string_view::npos) return false;
    return read_number(path.substr(0, a), 2, z) && read_number(path.substr(a + 1, b - a - 1), 9, x) && read_number(path.substr(b + 1), 9, y);
}

// The name in "/name", a file at the top of the folder: letters, digits, '.', '_' and '-', not
// starting with '.', '_' or '-' (no hidden file, no "..", no sub-folder); "" otherwise.
std::string top_level_file(std::string_view path)
{
    if (path.size() < 2 || path[0] != '/') return {};
    const std::string_view name = path.substr(1);
    const auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(name[0])) return {};
    for (const char c : name)
        if (!alnum(c) && c != '.' && c != '_' && c != '-') return {};
    return std::string(name);
}

} // namespace

struct TileServer::Impl {
    ServeOptions options;
    std::unique_ptr<MbtilesFile> tiles;
    net::io_context io;
    tcp::acceptor acceptor{io};
    std::atomic<bool> stopping{false};

    struct Session {
        std::thread thread;
        std::atomic<bool> done{false};
        int fd = -1;
    };
    std::mutex sessions_mutex;
    std::list<Session> sessions;

    mutable std::mutex counts_mutex;
    ServeCounts counts;

    using Response = http::response<http::string_body>;

    void count(std::size_t ServeCounts::*what)
    {
        std::lock_guard lock(counts_mutex);
        ++(counts.*what);
    }

    Response answer(const http::request<http::string_body>& req, const std::string& host)
    {
        Response res;
        res.version(req.version());
        res.keep_alive(req.keep_alive());
        res.set(http::field::server, "cptsmap");
        res.set(http::field::access_control_allow_origin, "*");
        const auto text = [&](http::status status, const std::string& body) {
            res.result(status);
            res.set(http::field::content_type, "text/plain; charset=utf-8");
            res.body() = body + "\n";
        };
        const std::string target(req.target());
        const std::string path = target.substr(0, target.find('?'));
        if (req.method() != http::verb::get && req.method() != http::verb::head) {
            count(&ServeCounts::not_found);
            text(http::status::method_not_allowed, "cptsmap serve only answers GET");
            return res;
        }
        int z = 0, x = 0, y = 0;
        if (tile_path(path, z, x, y)) {
            const auto tile = tiles->tile(z, x, y);
            if (!tile) {
                count(&ServeCounts::empty_tiles);
                res.result(http::status::no_content);
                return res;
            }
            count(&ServeCounts::tiles);
            res.result(http::status::ok);
            res.set(http::field::content_type, "application/vnd.mapbox-vector-tile");
            if (gzip_compressed(*tile)) res.set(http::field::content_encoding, "gzip");
            res.body() = *tile;
            return res;
        }
        if (path == "/favicon.ico") { // asked for by every browser: none, and not an error
            res.result(http::status::no_content);
            return res;
        }
        if (path == "/tiles.json") {
            count(&ServeCounts::files);
            res.result(http::status::ok);
            res.set(http::field::content_type, "application/json");
            res.body() = tiles->tilejson("http://" + host + "/tiles/{z}/{x}/{y}.pbf");
            return res;
        }
        const std::string name = path == "/" ? "map.html" : top_level_file(path);
        const fs::path file = fs::path(options.folder) / name;
        std::error_code ec;
        if (name.empty() || name == kTilesFile || !fs::is_regular_file(file, ec)) {
            count(&ServeCounts::not_found);
            text(http::status::not_found, path == "/" ? "this folder has no map.html: build it with `cptsmap build --format mbtiles --map`"
                                                      : "no " + path + " here: cptsmap serve answers /, /tiles/{z}/{x}/{y}.pbf, "
                                                                       "/tiles.json and the files of " + options.folder);
            return res;
        }
        count(&ServeCounts::files);
        res.result(http::status::ok);
        res.set(http::field::content_type, content_type(file));
        res.set(http::field::cache_control, "no-cache");
        res.body() = read_all(file);
        return res;
    }

    void serve(tcp::socket socket)
    {
        beast::error_code ec;
        beast::flat_buffer buffer;
        const std::string host = [&] {
            const auto local = socket.local_endpoint(ec);
            return local.address().to_string() + ":" + std::to_string(local.port());
        }();
        for (;;) {
            http::request<http::string_body> req;
            http::read(socket, buffer, req, ec);
            if (ec) break;
            Response res = answer(req, req[http::field::host].empty() ? host : std::string(req[http::field::host]));
            const bool head = req.method() == http::verb::head;
            res.prepare_payload();
            if (head) res.body().clear();
            if (options.log) options.log(std::string(req.method_string()) + " " + std::string(req.target()) + " " + std::to_string(res.result_int()) +
                                         " " + size_text(res.body().size()));
            http::write(socket, res, ec);
            if (ec || !res.keep_alive()) break;
        }
        socket.shutdown(tcp::socket::shutdown_send, ec);
    }

    // Joins the connections that have ended (all of them when `all`, after shutting them down).
    void reap(bool all)
    {
        std::lock_guard lock(sessions_mutex);
        for (auto it = sessions.begin(); it != sessions.end();) {
            if (all && !it->done) ::shutdown(it->fd, SHUT_RDWR);
            if (all || it->done) {
                it->thread.join();
                it = sessions.erase(it);
            } else {
                ++it;
            }
        }
    }
};

TileServer::TileServer(ServeOptions options) : impl_(std::make_unique<Impl>())
{
    Impl& m = *impl_;
    m.options = std::move(options);
    if (!fs::is_directory(m.options.folder))
        throw InputError("no folder " + m.options.folder + ": give the output folder of `cptsmap build --format mbtiles --map`");
    m.tiles = std::make_unique<MbtilesFile>((fs::path(m.options.folder) / kTilesFile).string());
    beast::error_code ec;
    const auto address = net::ip::make_address(m.options.host, ec);
    if (ec) throw InputError("cannot listen on \"" + m.options.host + "\": not an IP address; give --host 127.0.0.1 or another address of this machine");
    const tcp::endpoint endpoint(address, m.options.port);
    m.acceptor.open(endpoint.protocol(), ec);
    if (!ec) m.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) m.acceptor.bind(endpoint, ec);
    if (!ec) m.acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw Error("cannot listen on " + m.options.host + ":" + std::to_string(m.options.port) + " (" + ec.message() +
                    "); another program may use that port: give another one with --port");
}

TileServer::~TileServer()
{
    stop();
    impl_->reap(true);
}

unsigned short TileServer::port() const noexcept
{
    beast::error_code ec;
    return impl_->acceptor.local_endpoint(ec).port();
}

std::string TileServer::url() const
{
    return "http://" + impl_->options.host + ":" + std::to_string(port()) + "/";
}

void TileServer::run()
{
    Impl& m = *impl_;
    while (!m.stopping) {
        tcp::socket socket(m.io);
        beast::error_code ec;
        m.acceptor.accept(socket, ec);
        if (m.stopping) break;
        if (ec) continue;
        m.reap(false);
        std::lock_guard lock(m.sessions_mutex);
        Impl::Session& s = m.sessions.emplace_back();
        s.fd = socket.native_handle();
        s.thread = std::thread([&m, &s, socket = std::move(socket)]() mutable {
            m.serve(std::move(socket));
            s.done = true;
        });
    }
    m.reap(true);
}

void TileServer::stop()
{
    Impl& m = *impl_;
    if (m.stopping.exchange(true)) return;
    // Wakes the accept() of run(), on Linux.
    ::shutdown(m.acceptor.native_handle(), SHUT_RDWR);
}

ServeCounts TileServer::counts() const
{
    std::lock_guard lock(impl_->counts_mutex);
    return impl_->counts;
}

} // namespace cptsmap
