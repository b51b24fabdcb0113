// Fuzz target for the security configuration loader.
// SPDX-License-Identifier: BSL-1.0
//
// The input is configuration text. Properties: the loader answers (a
// configuration or an error naming a path and a reason) without crashing;
// a configuration it accepts holds its promises: a secret of 32 bytes or
// more, token lifetimes within the maximum, every role a user or anonymous
// names defined, every password a hash, every Bayeux rule a channel or
// pattern of the spec's grammar; and rights can be asked of it.
#include <rtnotify/auth/rights.hpp>
#include <rtnotify/auth/security_config.hpp>
#include <rtnotify/bayeux/channel.hpp>

#include "fuzz_support.hpp"

#include <cstdint>
#include <string_view>

namespace auth = rtnotify::auth;
using rtnotify_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const text(reinterpret_cast<char const*>(data), size);
    auto const c = auth::parse_security_config(text);
    if(!c)
    {
        check(!c.error().message.empty(), "a refusal says why", text);
        return 0;
    }
    check(c->tokens.secret.size() >= 32, "a short secret was accepted", text);
    check(c->tokens.expires_in_ms > 0 && c->tokens.expires_in_ms <= c->tokens.max_ttl_ms, "token lifetimes", text);
    check(c->login.max_failures > 0 && c->login.window_ms > 0, "login limits", text);
    for(auto const& [name, u] : c->users)
    {
        check(auth::is_password_hash(u.password_hash), "a password that is no hash", text);
        for(auto const& r : u.roles)
            check(c->roles.contains(r), "a user's undefined role", text);
        auth::allows(*c, u.roles, "document", "create", "shop", "items");
        auth::allows(*c, u.roles, "realtime", "subscribe", "", "");
    }
    for(auto const& r : c->anonymous_roles)
        check(c->roles.contains(r), "anonymous's undefined role", text);
    for(auto const& [name, r] : c->roles)
        if(r.bayeux)
            for(auto const* rules : {&r.bayeux->subscribe, &r.bayeux->publish})
                for(auto const& rule : *rules)
                    check(rtnotify::bayeux::classify(rule).validity == rtnotify::bayeux::validity::valid,
                          "a Bayeux rule outside the channel grammar", text);
    return 0;
}
