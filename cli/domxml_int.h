/*
 * What the XML reader and writer of domxml share.
 */
#ifndef CACHET_CLI_DOMXML_INT_H
#define CACHET_CLI_DOMXML_INT_H

/*
 * The namespace of Cachet's own element under <metadata>, where libvirt
 * keeps what an application adds (here: cache_policy).
 */
#define DOMXML_CACHET_NS "urn:cachet:domain:1.0"
#define DOMXML_CACHET_PREFIX "cachet"
/* The highest vCPU count cachet.cfg(5) takes. */
#define DOMXML_VCPUS_MAX 128

#endif
