// Fuzz target for the server's Socket.IO endpoint (Engine.IO polling, the upgrade, the sessions in the hub) over an in-memory stream.
// SPDX-License-Identifier: BSL-1.0
//
// The input is what a client sends on one connection, in bursts separated
// by the byte 0xFF; the first byte picks how many bytes each read of the
// server returns (1 to 128, or 4096). Before a burst is sent, each "@SID@"
// in it becomes the sid of the last Engine.IO handshake the server
// answered, so that polls, posts and upgrades reach a live session.
// Properties checked: those of fuzz_http_connection (nothing crashes, leaks
// or hangs; whole responses with documented statuses, then well-formed
// server frames; nothing left counted once closed).
#include "server_harness.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

/// The sid of the last handshake in `written`, or "none".
std::string last_sid(std::string_view written)
{
    auto const at = written.rfind("{\"sid\":\"");
    if(at == std::string_view::npos)
        return "none";
    auto const start = at + 8;
    auto const end = written.find('"', start);
    return end == std::string_view::npos ? "none" : std::string(written.substr(start, end - start));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    rtnotify_fuzz::input in{data, size};
    auto const pace = in.byte();
    std::size_t const read_size = pace < 128 ? 1 + pace : 4096;
    auto const rest = in.bytes(size);
    std::string sent;
    std::size_t at = 0;
    auto const out = rtnotify_fuzz::run_connection(
        rtnotify_fuzz::small_server_options(),
        [&](std::string_view written) -> std::optional<std::string> {
            if(at > rest.size())
                return std::nullopt;
            auto const end = std::min(rest.find('\xff', at), rest.size());
            std::string burst(rest.substr(at, end - at));
            at = end + 1;
            auto const sid = last_sid(written);
            for(auto p = burst.find("@SID@"); p != std::string::npos; p = burst.find("@SID@", p + sid.size()))
                burst.replace(p, 5, sid);
            sent += burst;
            return burst;
        },
        read_size);
    rtnotify_fuzz::check_server_output(out, sent);
    return 0;
}
