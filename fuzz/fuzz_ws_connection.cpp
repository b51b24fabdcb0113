// Fuzz target for the server's WebSocket connection (`basic_ws_connection`) over an in-memory stream.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a sequence of messages a client sends after a valid upgrade.
// The first byte picks the endpoint (Bayeux, a SmartREST real-time path
// without X-Id, which is Bayeux too, or the Kuzzle service) and how many
// bytes each read of the server returns. Then each frame is a header byte
// (bit 7 FIN, bit 6 a 16-bit length, bits 0-2 the opcode: text,
// continuation, binary, ping, pong, close, reserved, text), its length
// (one or two bytes) and its payload; the harness masks it as a client
// must (with a zero key) so that the fuzzer works on what the messages say.
// The frames are sent once the server has answered the upgrade, as a
// client must (RFC 6455 section 4.1).
// Properties checked: those of fuzz_http_connection (whole responses, then
// well-formed server frames; nothing left counted once closed), and that
// the upgrade succeeds.
#include "server_harness.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

std::string upgrade_to(std::string_view path)
{
    return "GET " + std::string(path) +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

/// Appends one masked client frame (mask key zero: the payload goes as it is).
void append_frame(std::string& out, std::uint8_t first, std::string_view payload)
{
    out += static_cast<char>(first);
    if(payload.size() < 126)
        out += static_cast<char>(0x80 | payload.size());
    else
    {
        out += static_cast<char>(0x80 | 126);
        out += static_cast<char>(payload.size() >> 8);
        out += static_cast<char>(payload.size() & 0xFF);
    }
    out.append(4, '\0');
    out += payload;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    static constexpr std::string_view paths[] = {"/bayeux", "/notification/realtime", rtnotify_fuzz::kuzzle_path};
    static constexpr std::uint8_t opcodes[] = {0x1, 0x0, 0x2, 0x9, 0xA, 0x8, 0x3, 0x1};
    rtnotify_fuzz::input in{data, size};
    auto const choice = in.byte();
    auto const upgrade = upgrade_to(paths[choice % 3]);
    std::string frames;
    std::size_t const read_size = (choice & 0x80) ? 4096 : 1 + (choice >> 2) % 32;
    while(!in.empty())
    {
        auto const head = in.byte();
        std::size_t len = in.byte();
        if(head & 0x40)
            len = (len << 8) | in.byte();
        append_frame(frames, static_cast<std::uint8_t>((head & 0x80) | opcodes[head & 0x07]), in.bytes(len));
    }
    auto const out = rtnotify_fuzz::run_connection(rtnotify_fuzz::small_server_options(), {upgrade, frames}, read_size);
    rtnotify_fuzz::check(out.starts_with("HTTP/1.1 101 "), "the upgrade succeeds", out);
    rtnotify_fuzz::check_server_output(out, frames);
    return 0;
}
