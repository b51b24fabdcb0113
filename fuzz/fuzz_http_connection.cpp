// Fuzz target for the server's HTTP connection (`basic_http_connection`) over an in-memory stream.
// SPDX-License-Identifier: BSL-1.0
//
// The input is what a client sends on one connection: the first byte picks
// how many bytes each read of the server returns (1 to 128, or 4096), the
// rest are the bytes, after which the client ends its stream. The server is
// the real one (hub, session engine, SmartREST bridge and templates, a Kuzzle
// service), with every bound small: requests may be pipelined, chunked,
// oversized, cut short, or upgrade to a WebSocket and go on as frames.
// Properties checked:
// - nothing crashes, leaks or hangs (the server answers all it read, then
//   stops, and the run ends);
// - the server writes only whole HTTP/1.x responses with statuses it
//   documents, then, after an upgrade, well-formed server frames;
// - once closed, the connection leaves no connection counted open and no
//   byte counted in `max_buffered_bytes`.
#include "server_harness.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    rtnotify_fuzz::input in{data, size};
    auto const pace = in.byte();
    std::size_t const read_size = pace < 128 ? 1 + pace : 4096;
    auto const bytes = in.bytes(size);
    rtnotify_fuzz::check_server_output(rtnotify_fuzz::run_connection(rtnotify_fuzz::small_server_options(), {bytes}, read_size),
                                      bytes);
    return 0;
}
