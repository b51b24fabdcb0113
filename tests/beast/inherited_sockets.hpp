// Test helper: which TCP sockets of this process a child it starts inherits (descriptors not closed on exec).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_BEAST_INHERITED_SOCKETS_HPP
#define RTNOTIFY_TESTS_BEAST_INHERITED_SOCKETS_HPP

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rtnotify_test {

/** The inodes of the open TCP sockets whose local (or, with `remote`,
    remote) port is `port` (/proc/net/tcp). Sockets no descriptor holds any
    more (inode 0: TIME_WAIT, perhaps of an earlier run on the same port
    number) are left out.
*/
inline std::set<std::string> sockets_on_port(unsigned short port, bool remote = false)
{
    std::set<std::string> inodes;
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line); // the column names
    char hex_port[8];
    std::snprintf(hex_port, sizeof hex_port, ":%04X", port);
    while(std::getline(table, line))
    {
        std::istringstream fields(line);
        std::string slot, local, peer, state, queues, timer, retransmits, uid, timeout, inode;
        fields >> slot >> local >> peer >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
        if((remote ? peer : local).ends_with(hex_port) && inode != "0")
            inodes.insert(inode);
    }
    return inodes;
}

/// The inodes of the sockets a child started now (`sleep`, killed once looked at) has open: those it inherited.
inline std::set<std::string> sockets_a_child_inherits()
{
    char arg0[] = "sleep", arg1[] = "30";
    char* argv[] = {arg0, arg1, nullptr};
    pid_t child = 0;
    std::set<std::string> inodes;
    if(::posix_spawnp(&child, "sleep", nullptr, nullptr, argv, environ) != 0) // returns once the child runs `sleep`
        return inodes;
    std::error_code ec;
    for(auto const& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(child) + "/fd", ec))
    {
        auto const target = std::filesystem::read_symlink(fd.path(), ec).string(); // socket:[INODE]
        if(!ec && target.starts_with("socket:["))
            inodes.insert(target.substr(8, target.size() - 9));
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    return inodes;
}

} // namespace rtnotify_test

#endif
