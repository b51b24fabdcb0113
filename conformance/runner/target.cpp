// rtnotify-conformance: reads a target URL with Boost.URL and prepares its TLS context; compiles Asio's TLS once.
// SPDX-License-Identifier: BSL-1.0
#include "target.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/impl/src.hpp> // Asio's TLS, separately compiled like the rest of Asio (rtnotify::compiled)
#include <boost/url/parse.hpp>
#include <boost/url/src.hpp> // Boost.URL's implementation, compiled in this file only
#include <boost/url/url_view.hpp>

#include <openssl/evp.h>

#include <charconv>
#include <cstdint>

namespace rtnotify_conformance {

namespace {

std::string base64(std::string_view s)
{
    std::string out(4 * ((s.size() + 2) / 3), '\0');
    auto const n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<unsigned char const*>(s.data()), static_cast<int>(s.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

} // namespace

std::string target::authority() const
{
    auto const h = host.find(':') == std::string::npos ? host : "[" + host + "]";
    return h + ":" + port;
}

std::string target::url() const { return std::string(tls ? "https://" : "http://") + authority() + path; }

std::optional<header> parse_header_line(std::string_view line)
{
    auto const colon = line.find(':');
    if(colon == 0 || colon == std::string_view::npos)
        return std::nullopt;
    auto const name = line.substr(0, colon);
    for(char c : name)
        if(!is_token_char(c))
            return std::nullopt;
    auto value = line.substr(colon + 1);
    while(!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while(!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    for(char c : value)
        if(c == '\r' || c == '\n' || c == '\0')
            return std::nullopt;
    return header{std::string(name), std::string(value)};
}

std::variant<target, std::string> make_target(std::string_view text, target_options const& o)
{
    auto parsed = boost::urls::parse_uri(text);
    if(!parsed)
        return "not a URL (" + parsed.error().message() + ")";
    auto const& u = *parsed;
    target t;
    auto const scheme = u.scheme();
    if(scheme == "https" || scheme == "wss")
        t.tls = true;
    else if(scheme != "http" && scheme != "ws")
        return "the scheme must be http, https, ws or wss, not '" + std::string(scheme) + "'";
    t.host = u.host_address();
    if(t.host.empty())
        return "the URL names no host";
    if(u.has_query() || u.has_fragment())
        return "the URL must not have a query or a fragment";
    t.port = u.has_port() ? std::string(u.port()) : t.tls ? "443" : "80";
    std::uint16_t port = 0;
    if(auto const [end, ec] = std::from_chars(t.port.data(), t.port.data() + t.port.size(), port);
       ec != std::errc() || end != t.port.data() + t.port.size() || port == 0)
        return "the port must be a number from 1 to 65535, not '" + t.port + "'";
    t.path = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());

    std::optional<std::string> credentials = o.user;
    if(!credentials && u.has_userinfo())
        credentials = u.user() + ":" + u.password();
    if(credentials)
    {
        if(credentials->find(':') == std::string::npos)
            return "credentials must be NAME:PASSWORD";
        t.headers.emplace_back("Authorization", "Basic " + base64(*credentials));
    }
    t.headers.insert(t.headers.end(), o.headers.begin(), o.headers.end());

    if(t.tls)
    {
        namespace ssl = boost::asio::ssl;
        t.tls_context = std::make_shared<ssl::context>(ssl::context::tls_client);
        boost::system::error_code ec;
        if(!o.cacert.empty())
            t.tls_context->load_verify_file(o.cacert, ec);
        else
            t.tls_context->set_default_verify_paths(ec);
        if(ec)
            return "cannot load the trusted certificates" + (o.cacert.empty() ? "" : " of " + o.cacert) + ": " +
                   ec.message();
        t.verify = !o.insecure;
        t.tls_context->set_verify_mode(t.verify ? ssl::verify_peer : ssl::verify_none);
    }
    else if(!o.cacert.empty() || o.insecure)
        return "--cacert and --insecure need an https:// or wss:// target";
    return t;
}

} // namespace rtnotify_conformance
