#include "progress.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <unistd.h>

namespace cptsmap::cli {

namespace {
void write_json_line(const std::string& phase, std::string_view what, int done, int total)
{
    // Keys in this order (nlohmann::json would sort them); the strings escaped by nlohmann.
    const std::string line = "{\"phase\":" + nlohmann::json(phase).dump() + ",\"step\":" + nlohmann::json(std::string(what)).dump() +
                             ",\"done\":" + std::to_string(done) + ",\"total\":" + std::to_string(total) + "}\n";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}
} // namespace

Progress::Progress(bool quiet, ProgressMode mode)
    : mode_(mode), enabled_(mode == ProgressMode::Json || (!quiet && ::isatty(STDERR_FILENO) == 1)), start_(std::chrono::steady_clock::now())
{
}

Progress::~Progress() { clear(); }

ProgressFn Progress::phase(std::string name)
{
    if (!enabled_) return {};
    if (mode_ == ProgressMode::Json)
        return [name = std::move(name)](std::string_view what, int done, int total) { write_json_line(name, what, done, total); };
    return [this, name = std::move(name)](std::string_view what, int done, int total) { draw(name, what, done, total); };
}

void Progress::draw(const std::string& phase, std::string_view what, int done, int total)
{
    constexpr int kWidth = 20;
    const int filled = total > 0 ? done * kWidth / total : kWidth;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    std::fprintf(stderr, "\r\033[K%s [%s] %d/%d %.*s (%.1f s)", phase.c_str(), bar.c_str(), done, total, static_cast<int>(what.size()),
                 what.data(), seconds);
    std::fflush(stderr);
    drawn_ = true;
}

void Progress::clear()
{
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

} // namespace cptsmap::cli
