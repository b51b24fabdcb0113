// Test helper: runs a program through the shell and collects what it prints.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_PROGRAM_HPP
#define RTNOTIFY_TESTS_PROGRAM_HPP

#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace rtnotify_test {

/// The exit status of a command and its standard output.
struct program_result
{
    int status = -1;
    std::string out;
};

/// Runs `command` with `sh -c` (redirections allowed) and waits for it.
inline program_result run_program(std::string const& command)
{
    program_result r;
    if(FILE* p = ::popen(command.c_str(), "r"))
    {
        char buf[65536];
        for(std::size_t k; (k = std::fread(buf, 1, sizeof buf, p)) > 0;)
            r.out.append(buf, k);
        r.status = WEXITSTATUS(::pclose(p));
    }
    return r;
}

} // namespace rtnotify_test

#endif
