#include "commands.hpp"

#include "cptsmap/tiles/tile_server.hpp"

#include <cstdio>
#include <iostream>

namespace cptsmap::cli {

Action add_serve_command(CLI::App& app, const GlobalOptions& global)
{
    auto options = std::make_shared<ServeOptions>();
    auto log = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("serve", "Serve a build's map.html and vector tiles (build --format mbtiles --map) on this machine, until Ctrl-C");
    cmd->add_option("folder", options->folder, "the output folder of `cptsmap build --format mbtiles --map`")->required();
    cmd->add_option("--port", options->port, "the port to listen on; 0 for any free one (default: 8080)");
    cmd->add_option("--host", options->host, "the address to listen on (default: 127.0.0.1, this machine only)");
    cmd->add_flag("--log", *log, "print one line per request on stderr");
    return [options, log, &global] {
        if (*log) options->log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
        TileServer server(*options);
        on_interrupt([&server] { server.stop(); });
        if (!global.quiet) {
            std::cout << "cptsmap serve: " << server.url() << " (map.html, tiles from " << options->folder << "/cptsmap.mbtiles); Ctrl-C to stop"
                      << std::endl;
        }
        server.run();
        on_interrupt({});
        if (!global.quiet) {
            const ServeCounts c = server.counts();
            std::cout << "cptsmap serve: stopped after " << c.tiles << " tiles, " << c.empty_tiles << " empty tiles and " << c.files << " files" << std::endl;
        }
    };
}

} // namespace cptsmap::cli
