// rtnotify/src.hpp: the compiled half of separate compilation; include it in exactly one source file.
// SPDX-License-Identifier: BSL-1.0
//
// Every translation unit of the program defines RTNOTIFY_SEPARATE_COMPILATION
// (see rtnotify/detail/config.hpp). When the program also defines
// BOOST_ASIO_SEPARATE_COMPILATION or BOOST_BEAST_SEPARATE_COMPILATION
// everywhere, this file compiles Asio's or Beast's implementation too, so one
// source file serves all three.
#ifndef RTNOTIFY_SRC_HPP
#define RTNOTIFY_SRC_HPP

#if !defined(RTNOTIFY_SEPARATE_COMPILATION)
#error "<rtnotify/src.hpp> needs RTNOTIFY_SEPARATE_COMPILATION defined in every translation unit"
#endif

#if defined(BOOST_ASIO_SEPARATE_COMPILATION)
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#endif
#if defined(BOOST_BEAST_SEPARATE_COMPILATION)
#include <boost/beast/src.hpp>
#endif

#include <rtnotify/beast/impl/client.ipp>
#include <rtnotify/beast/impl/server.ipp>
#include <rtnotify/smartrest/impl/record_parser.ipp>

#endif
