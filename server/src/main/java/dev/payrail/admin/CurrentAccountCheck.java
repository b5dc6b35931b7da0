package dev.payrail.admin;

import dev.payrail.account.OperatorAccount;
import dev.payrail.account.OperatorAccounts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import lombok.RequiredArgsConstructor;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A session says who logged in, not what they may do now: on every request the account is read again, so a
 * disabled or deleted account's sessions end at their next request, and a changed role applies at once.
 */
@RequiredArgsConstructor
final class CurrentAccountCheck extends OncePerRequestFilter {

    private final OperatorAccounts accounts;
    private final SecurityContextRepository repository;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication who = contexts.getContext().getAuthentication();
        if (who != null && who.getPrincipal() instanceof UserDetails signedIn) {
            Optional<OperatorAccount> now = accounts.findByEmail(signedIn.getUsername());
            if (now.isEmpty() || now.get().disabled()) {
                contexts.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            } else if (who.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals(now.get().role().authority()))) {
                var context = contexts.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(signedIn, null,
                        List.of(new SimpleGrantedAuthority(now.get().role().authority()))));
                contexts.setContext(context);
                repository.saveContext(context, request, response);
            }
        }
        chain.doFilter(request, response);
    }
}
