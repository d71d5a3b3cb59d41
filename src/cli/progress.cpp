#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace cptsmap::cli {

TerminalProgress::TerminalProgress(bool quiet)
    : enabled_(!quiet && ::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now())
{
}

TerminalProgress::~TerminalProgress() { clear(); }

ProgressFn TerminalProgress::phase(std::string name)
{
    if (!enabled_) return {};
    return [this, name = std::move(name)](std::string_view what, int done, int total) { draw(name, what, done, total); };
}

void TerminalProgress::draw(const std::string& phase, std::string_view what, int done, int total)
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

void TerminalProgress::clear()
{
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

} // namespace cptsmap::cli
