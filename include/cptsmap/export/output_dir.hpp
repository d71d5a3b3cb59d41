#pragma once
// An output folder that is never left half-written: files are written into a staging folder beside
// the target, and moved into place only by commit(). Without commit() (an error, an exception) the
// staging folder is removed and the target is left exactly as it was. Staging folders are also
// registered process-wide, so that an interrupted run can remove them (abandon_all_output_dirs).
//
// An output folder is only ever a folder cptsmap may fill: not the root, and, when it exists,
// empty or a previous cptsmap output, which every command marks with a small file, kOutputMarker
// (`.cptsmap`), committed with its outputs. A folder of other files is refused (--overwrite
// writes into it anyway), before anything is computed: see check_output_folder.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

// The file that marks a folder as written by cptsmap (its content says so in one line).
inline constexpr const char* kOutputMarker = ".cptsmap";

struct OutputDirOptions {
    // Write into an existing folder that holds other files than a previous cptsmap output's
    // (--overwrite); files of the same names are replaced, the others kept. DEFAULT: refused.
    bool overwrite = false;
    // The target is a folder of the user's that receives one file (export-definitions --out
    // FILE): not checked by check_output_folder, and given no marker. DEFAULT: an output folder.
    bool single_file = false;
};

// Throws OutputError, changing nothing, unless `target` may be an output folder: not empty, not
// the root (nor a path that resolves to it), not a file; and, when it exists, empty or holding
// kOutputMarker, unless `overwrite`. Commands call it first, before computing anything; the
// OutputDir constructor calls it again.
void check_output_folder(const std::filesystem::path& target, bool overwrite);

class OutputDir {
public:
    explicit OutputDir(std::filesystem::path target, OutputDirOptions options = {});
    ~OutputDir();
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    // Where to write `file` now (inside the staging folder).
    std::filesystem::path staged(const std::string& file);
    // Moves every staged file, and the marker of an output folder, into the target (created if
    // needed); each file replaces its old version atomically (rename on the same file system).
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
