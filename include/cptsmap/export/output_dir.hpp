#pragma once
// An output folder that is never left half-written: files are written into a staging folder beside
// the target, and moved into place only by commit(). Without commit() (an error, an exception) the
// staging folder is removed and the target is left exactly as it was. Staging folders are also
// registered process-wide, so that an interrupted run can remove them (abandon_all_output_dirs).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

class OutputDir {
public:
    explicit OutputDir(std::filesystem::path target);
    ~OutputDir();
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    // Where to write `file` now (inside the staging folder).
    std::filesystem::path staged(const std::string& file);
    // Moves every staged file into the target (created if needed); each file replaces its old
    // version atomically (rename on the same file system).
    void commit();

    const std::filesystem::path& target() const noexcept { return target_; }

private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    std::vector<std::string> files_;
    bool committed_ = false;
};

// Writes `text` to `path` atomically: into a temporary file beside it, renamed over `path` once
// complete, so that `path` is either its old self or the whole text. Throws OutputError (disk full,
// permissions) and leaves no temporary file behind.
void write_text_file(const std::filesystem::path& path, std::string_view text);

// Removes the staging folder of every OutputDir alive in the process, and makes their commit() fail
// from then on. For the thread that handles SIGINT/SIGTERM just before it ends the process (see
// src/cli/interrupt.cpp): a commit under way finishes first, so a target is never half-replaced.
// Returns how many staging folders were removed.
std::size_t abandon_all_output_dirs() noexcept;

} // namespace cptsmap
