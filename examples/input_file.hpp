// examples/input_file.hpp: why a path given to an example tool cannot be read as a file, checked before it is opened; its text.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_INPUT_FILE_HPP
#define RTNOTIFY_EXAMPLES_INPUT_FILE_HPP

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace rtnotify_examples {

/// Empty when `path` can be opened for reading as a file (a FIFO such as /dev/stdin counts); else why not, after the path.
inline std::string why_unreadable(std::string const& path)
{
    std::error_code ec;
    auto const st = std::filesystem::status(path, ec);
    if(ec || !std::filesystem::exists(st))
        return path + ": no such file";
    if(std::filesystem::is_directory(st))
        return path + ": is a directory, not a file";
    if(!std::ifstream(path, std::ios::binary))
        return path + ": cannot open for reading";
    return {};
}

/// The whole content of the file at `path` (empty when it cannot be read: check `why_unreadable` first).
inline std::string text_of(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace rtnotify_examples

#endif
