#pragma once
// An output folder that is never left half-written: files are written into a staging folder beside
// the target, and moved into place only by commit(). Without commit() (an error, an exception) the
// staging folder is removed and the target is left exactly as it was.
#include <filesystem>
#include <string>
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

} // namespace cptsmap
