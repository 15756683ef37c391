package io.awssecretsdriver.aws;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JVM's default trust manager (its trust store and {@code javax.net.ssl.*} settings), loaded at
 * the first TLS handshake instead of when the HTTP client is built. Parsing the trust store costs
 * about 150 ms of CPU on 2 cores: a job against a plain-http endpoint never pays it, and a job
 * against AWS pays it on another core ({@link #loadDefault}) while the job payload is read. Every check
 * is the default manager's own, hostname verification included.
 */
final class DeferredTrustManager extends X509ExtendedTrustManager {
  private static X509ExtendedTrustManager jvmDefault; // guarded by DeferredTrustManager.class

  /** Loads the default trust manager now, so that the first handshake finds it; a failure shows there. */
  static void loadDefault() {
    try {
      jvmDefault();
    } catch (CertificateException e) {
      // the first handshake meets the same failure and reports it
    }
  }

  private static synchronized X509ExtendedTrustManager jvmDefault() throws CertificateException {
    if (jvmDefault == null) {
      try {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager m : factory.getTrustManagers()) {
          if (m instanceof X509ExtendedTrustManager x509) {
            jvmDefault = x509;
            return x509;
          }
        }
        throw new CertificateException("the JVM's default trust manager does not check X.509 certificates");
      } catch (GeneralSecurityException e) {
        throw e instanceof CertificateException c ? c : new CertificateException("the JVM's trust store cannot be loaded: " + e.getMessage(), e);
      }
    }
    return jvmDefault;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    jvmDefault().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    jvmDefault().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    jvmDefault().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    jvmDefault().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    jvmDefault().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    jvmDefault().checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return jvmDefault().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0]; // trusts nothing; the handshake's own check reports why
    }
  }
}
